<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>BriefingReader</name>
    <message>
        <source>Briefing Reader</source>
        <translation>简报阅读器</translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation>面板(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>全部标签</translation>
    </message>
    <message>
        <source>Filter notes</source>
        <translation>筛选批注</translation>
    </message>
    <message>
        <source>All colours</source>
        <translation>全部颜色</translation>
    </message>
    <message>
        <source>By position</source>
        <translation>按位置</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>最新在前</translation>
    </message>
    <message>
        <source>Ctrl+E adds a note. On a note: 1–8 colour, Ctrl+1–4 tag, F2 edit, Delete, Ctrl+Z undo.</source>
        <translation>Ctrl+E 添加批注。选中批注后：1–8 设颜色，Ctrl+1–4 加标签，F2 编辑，Delete 删除，Ctrl+Z 撤销。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Double-click to open. Drop files here to import them.</source>
        <translation>双击打开。把文件拖到这里即可导入。</translation>
    </message>
    <message>
        <source>No document open. Import one with Ctrl+O.</source>
        <translation>尚未打开文件。按 Ctrl+O 导入。</translation>
    </message>
    <message>
        <source>heading</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Search (Ctrl+F)</source>
        <translation>搜索 (Ctrl+F)</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Type to search. Enter jumps to the first hit.</source>
        <translation>输入即搜索。按回车跳到第一处结果。</translation>
    </message>
    <message>
        <source>word matches will follow when the dictionary has loaded</source>
        <translation>词典加载后将补充分词匹配结果</translation>
    </message>
    <message>
        <source>Preparing search…</source>
        <translation>正在准备搜索…</translation>
    </message>
    <message>
        <source>Your search will run when it is ready.</source>
        <translation>准备就绪后将自动搜索。</translation>
    </message>
    <message>
        <source>No results for “%1”.</source>
        <translation>没有找到“%1”。</translation>
    </message>
    <message>
        <source>%1 results (%2 ms)</source>
        <translation>%1 条结果（%2 毫秒）</translation>
    </message>
    <message>
        <source>showing the first %1</source>
        <translation>显示前 %1 条</translation>
    </message>
    <message>
        <source>Ctrl+D bookmarks the current paragraph.</source>
        <translation>Ctrl+D 为当前段落添加书签。</translation>
    </message>
    <message>
        <source>(before the first chapter)</source>
        <translation>（第一章之前）</translation>
    </message>
    <message>
        <source>[not found in this revision] </source>
        <translation>［本版本中未找到］</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Import documents</source>
        <translation>导入文件</translation>
    </message>
    <message>
        <source>Documents (*.txt *.md *.docx *.pdf)</source>
        <translation>文件 (*.txt *.md *.docx *.pdf)</translation>
    </message>
    <message>
        <source>An import is already running.</source>
        <translation>已有导入正在进行。</translation>
    </message>
    <message>
        <source>Note added. Press F2 to write it, 1–8 to colour it.</source>
        <translation>已添加批注。按 F2 输入内容，按 1–8 设颜色。</translation>
    </message>
    <message>
        <source>Importing %1 files…</source>
        <translation>正在导入 %1 个文件…</translation>
    </message>
    <message>
        <source>Import cancelled.</source>
        <translation>已取消导入。</translation>
    </message>
    <message>
        <source>Search is ready.</source>
        <translation>搜索已就绪。</translation>
    </message>
    <message>
        <source>Bookmark removed.</source>
        <translation>已删除书签。</translation>
    </message>
    <message>
        <source>Bookmark added.</source>
        <translation>已添加书签。</translation>
    </message>
    <message>
        <source>Could not open the document: %1</source>
        <translation>无法打开文件：%1</translation>
    </message>
    <message>
        <source>The %1 translation could not be loaded.</source>
        <translation>无法加载 %1 界面语言。</translation>
    </message>
    <message>
        <source>Import failed: %1</source>
        <translation>导入失败：%1</translation>
    </message>
    <message>
        <source>Some documents could not be indexed: %1</source>
        <translation>部分文件未能建立索引：%1</translation>
    </message>
    <message>
        <source>Notes could not be saved: %1</source>
        <translation>批注未能保存：%1</translation>
    </message>
    <message>
        <source>Imported %1 of %2 files.</source>
        <translation>已导入 %1 个文件（共 %2 个）。</translation>
    </message>
    <message>
        <source> (%1 more could not be imported)</source>
        <translation>（另有 %1 个文件未能导入）</translation>
    </message>
    <message>
        <source>Indexing for search: %1 of %2 steps</source>
        <translation>正在建立搜索索引：第 %1 步，共 %2 步</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>目录</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>文库</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>批注</translation>
    </message>
    <message>
        <source>Bookmarks</source>
        <translation>书签</translation>
    </message>
    <message>
        <source>&amp;Import documents…</source>
        <translation>导入文件(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>Find &amp;next</source>
        <translation>查找下一个(&amp;N)</translation>
    </message>
    <message>
        <source>Find &amp;previous</source>
        <translation>查找上一个(&amp;P)</translation>
    </message>
    <message>
        <source>Add &amp;note</source>
        <translation>添加批注(&amp;N)</translation>
    </message>
    <message>
        <source>Toggle &amp;bookmark</source>
        <translation>切换书签(&amp;B)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Wider text</source>
        <translation>加宽正文(&amp;W)</translation>
    </message>
    <message>
        <source>Na&amp;rrower text</source>
        <translation>收窄正文(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Dark theme</source>
        <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>This document</source>
        <translation>本文件</translation>
    </message>
    <message>
        <source>Whole library</source>
        <translation>整个文库</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Symbol</source>
        <translation>文号</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>导入日期</translation>
    </message>
    <message>
        <source>yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <source>green</source>
        <translation>绿色</translation>
    </message>
    <message>
        <source>blue</source>
        <translation>蓝色</translation>
    </message>
    <message>
        <source>pink</source>
        <translation>粉色</translation>
    </message>
    <message>
        <source>purple</source>
        <translation>紫色</translation>
    </message>
    <message>
        <source>orange</source>
        <translation>橙色</translation>
    </message>
    <message>
        <source>red</source>
        <translation>红色</translation>
    </message>
    <message>
        <source>grey</source>
        <translation>灰色</translation>
    </message>
    <message>
        <source>Add bookmark</source>
        <translation>添加书签</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>添加批注</translation>
    </message>
    <message>
        <source>Change colour</source>
        <translation>更改颜色</translation>
    </message>
    <message>
        <source>Change tags</source>
        <translation>更改标签</translation>
    </message>
    <message>
        <source>Delete note</source>
        <translation>删除批注</translation>
    </message>
    <message>
        <source>Edit note</source>
        <translation>编辑批注</translation>
    </message>
    <message>
        <source>Remove bookmark</source>
        <translation>删除书签</translation>
    </message>
    <message>
        <source>Rename bookmark</source>
        <translation>重命名书签</translation>
    </message>
    <message>
        <source>&amp;Export notes…</source>
        <translation>导出批注(&amp;E)…</translation>
    </message>
    <message>
        <source>Export notes</source>
        <translation>导出批注</translation>
    </message>
    <message>
        <source>Notes exported to %1 (notes and bookmarks: %2).</source>
        <translation>批注已导出到 %1（批注和书签共 %2 条）。</translation>
    </message>
    <message>
        <source>Exporting notes to %1…</source>
        <translation>正在导出批注到 %1…</translation>
    </message>
    <message>
        <source>Import &amp;colleague's notes…</source>
        <translation>导入同事的批注(&amp;C)…</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown 文件 (*.md)</translation>
    </message>
    <message>
        <source>Open a document first.</source>
        <translation>请先打开一个文件。</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>The Notes pane shows only %1. Export only those notes?</source>
        <translation>批注窗格只显示 %1。只导出这些批注吗？</translation>
    </message>
    <message>
        <source>The notes could not be exported: %1</source>
        <translation>批注无法导出：%1</translation>
    </message>
    <message>
        <source>Word document (*.docx)</source>
        <translation>Word 文档 (*.docx)</translation>
    </message>
    <message>
        <source>notes</source>
        <translation>批注</translation>
    </message>
    <message>
        <source>A merge is already running.</source>
        <translation>已有一个合并正在进行。</translation>
    </message>
    <message>
        <source>Briefing Reader notes (*.yaml *.yml)</source>
        <translation>简报阅读器批注文件 (*.yaml *.yml)</translation>
    </message>
    <message>
        <source>Import colleague's notes</source>
        <translation>导入同事的批注</translation>
    </message>
    <message>
        <source>Merged %1 into “%2”: %3 added, %4 updated, %5 deleted.</source>
        <translation>已将 %1 合并到《%2》：新增 %3 条，更新 %4 条，删除 %5 条。</translation>
    </message>
    <message>
        <source>Merging %1…</source>
        <translation>正在合并 %1…</translation>
    </message>
    <message>
        <source>Notes are read-only here: this library is open in another Briefing Reader window.</source>
        <translation>此窗口中的批注为只读：该文库已在另一个简报阅读器窗口中打开。</translation>
    </message>
    <message>
        <source>Notes are read-only now: another Briefing Reader took over this library.</source>
        <translation>批注现为只读：另一个简报阅读器接管了该文库。</translation>
    </message>
    <message>
        <source>Notes on this document are read-only: %1</source>
        <translation>此文件的批注为只读：%1</translation>
    </message>
    <message>
        <source>The notes could not be merged: %1</source>
        <translation>批注无法合并：%1</translation>
    </message>
    <message>
        <source>Notes changed outside this window were loaded.</source>
        <translation>已载入在此窗口之外修改的批注。</translation>
    </message>
    <message>
        <source>%1 changes</source>
        <translation>共 %1 处改动</translation>
    </message>
    <message>
        <source>%1 notes came from the previous revision: %2 stayed, %3 on changed text, %4 orphaned.</source>
        <translation>%1 条批注来自上一版本：%2 条原样保留，%3 条所在文字已修改，%4 条无法定位。</translation>
    </message>
    <message>
        <source>%1 notes came from the previous revision: see Notes review.</source>
        <translation>%1 条批注来自上一版本，请在“批注核对”中查看。</translation>
    </message>
    <message>
        <source>&amp;Compare with previous revision</source>
        <translation>与上一版本比较(&amp;C)</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Accept note's place</source>
        <translation>接受批注位置</translation>
    </message>
    <message>
        <source>Changed since the compared revision</source>
        <translation>与所比较的版本相比有改动</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Compare &amp;with another document…</source>
        <translation>与其他文件比较(&amp;W)…</translation>
    </message>
    <message>
        <source>Compare two versions first.</source>
        <translation>请先比较两个版本。</translation>
    </message>
    <message>
        <source>Compare with</source>
        <translation>比较对象</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>正在比较…</translation>
    </message>
    <message>
        <source>Could not compare: %1</source>
        <translation>无法比较：%1</translation>
    </message>
    <message>
        <source>Export comparison</source>
        <translation>导出比较结果</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <source>Export to Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <source>Export to Word…</source>
        <translation>导出为 Word…</translation>
    </message>
    <message>
        <source>Exported %1 units to %2</source>
        <translation>已将 %1 个单元导出到 %2</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新文本</translation>
    </message>
    <message>
        <source>Next change (F8)</source>
        <translation>下一处改动（F8）</translation>
    </message>
    <message>
        <source>Next change ▶</source>
        <translation>下一处改动 ▶</translation>
    </message>
    <message>
        <source>No notes to review.</source>
        <translation>没有需要核对的批注。</translation>
    </message>
    <message>
        <source>%1 — click to open</source>
        <translation>%1 — 点击打开</translation>
    </message>
    <message>
        <source>%n message</source>
        <translation>%n 条消息</translation>
    </message>
    <message>
        <source>%n messages</source>
        <translation>%n 条消息</translation>
    </message>
    <message>
        <source>%n message — click to see</source>
        <translation>%n 条消息 — 点击查看</translation>
    </message>
    <message>
        <source>%n messages — click to see</source>
        <translation>%n 条消息 — 点击查看</translation>
    </message>
    <message>
        <source>&amp;About Briefing Reader</source>
        <translation>关于简报阅读器(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>后退(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation>前进(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Go to paragraph, article or section…</source>
        <translation>转到段落、条款或章节(&amp;G)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Highlight</source>
        <translation>高亮(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Recent documents</source>
        <translation>最近的文件(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Search for “%1”</source>
        <translation>搜索“%1”(&amp;S)</translation>
    </message>
    <message>
        <source>About Briefing Reader</source>
        <translation>关于简报阅读器</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>书签</translation>
    </message>
    <message>
        <source>Built with Python %1, Qt %2, PySide6 %3 (LGPL-3.0), Whoosh, jieba, PyYAML, python-docx.</source>
        <translation>基于 Python %1、Qt %2、PySide6 %3（LGPL-3.0）、Whoosh、jieba、PyYAML、python-docx 构建。</translation>
    </message>
    <message>
        <source>Bundled font: %1, licence %2 (%3).</source>
        <translation>随附字体：%1，许可证 %2（%3）。</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Copy with &amp;citation</source>
        <translation>带出处复制(&amp;C)</translation>
    </message>
    <message>
        <source>Export as P&amp;DF…</source>
        <translation>导出为 PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>F&amp;ull screen reading</source>
        <translation>全屏阅读(&amp;U)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Library folder: %1</source>
        <translation>文库文件夹：%1</translation>
    </message>
    <message>
        <source>Licence: %1.</source>
        <translation>许可证：%1。</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <source>Next &amp;chapter</source>
        <translation>下一章(&amp;C)</translation>
    </message>
    <message>
        <source>Next &amp;section</source>
        <translation>下一节(&amp;S)</translation>
    </message>
    <message>
        <source>No problems so far.</source>
        <translation>目前没有问题。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>批注</translation>
    </message>
    <message>
        <source>Notes review</source>
        <translation>批注核对</translation>
    </message>
    <message>
        <source>Nothing compared yet: open a document with two revisions, then Compare.</source>
        <translation>尚未比较：请打开有两个版本的文件，然后选择“比较”。</translation>
    </message>
    <message>
        <source>Old</source>
        <translation>旧文本</translation>
    </message>
    <message>
        <source>Older version to compare with:</source>
        <translation>用于比较的旧版本：</translation>
    </message>
    <message>
        <source>Only what I annotated</source>
        <translation>仅显示我批注过的</translation>
    </message>
    <message>
        <source>Previous change (Shift+F8)</source>
        <translation>上一处改动（Shift+F8）</translation>
    </message>
    <message>
        <source>Quote</source>
        <translation>引文</translation>
    </message>
    <message>
        <source>Re-attach note</source>
        <translation>重新附着批注</translation>
    </message>
    <message>
        <source>Re-attach to selection</source>
        <translation>附着到所选文字</translation>
    </message>
    <message>
        <source>Select the right text in the reading view first</source>
        <translation>请先在阅读视图中选中正确的文字</translation>
    </message>
    <message>
        <source>Select the text the note belongs to in the reading view, then re-attach.</source>
        <translation>请在阅读视图中选中批注所属的文字，然后重新附着。</translation>
    </message>
    <message>
        <source>Show unchanged text</source>
        <translation>显示未改动的文字</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>左右对照</translation>
    </message>
    <message>
        <source>The library holds no other document to compare with.</source>
        <translation>文库中没有可供比较的其他文件。</translation>
    </message>
    <message>
        <source>The note is where it belongs: stop asking about it</source>
        <translation>批注位置正确：不再询问</translation>
    </message>
    <message>
        <source>The unit, %1:</source>
        <translation>该单元（%1）：</translation>
    </message>
    <message>
        <source>This document has one revision. Use “Compare with another document…” to pick the older text.</source>
        <translation>此文件只有一个版本。请用“与其他文件比较…”选择旧文本。</translation>
    </message>
    <message>
        <source>Track changes</source>
        <translation>修订标记</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Word documents (*.docx)</source>
        <translation>Word 文件 (*.docx)</translation>
    </message>
    <message>
        <source>change %1 of %2</source>
        <translation>第 %1 处，共 %2 处</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>inserted</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>its text is no longer in the document; it was on %1</source>
        <translation>其文字已不在文件中；原在%1</translation>
    </message>
    <message>
        <source>moved</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>no changes</source>
        <translation>没有改动</translation>
    </message>
    <message>
        <source>renumbered</source>
        <translation>改序号</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>未改</translation>
    </message>
    <message>
        <source>was %1</source>
        <translation>原在%1</translation>
    </message>
    <message>
        <source>Δ text changed</source>
        <translation>Δ 文字已改</translation>
    </message>
    <message>
        <source>◀ Previous change</source>
        <translation>◀ 上一处改动</translation>
    </message>
    <message>
        <source>✓ stayed</source>
        <translation>✓ 原样保留</translation>
    </message>
    <message>
        <source>✗ orphaned</source>
        <translation>✗ 无法定位</translation>
    </message>
    <message>
        <source>%1 articles changed, %2 inserted, %3 deleted, %4 renumbered</source>
        <translation>修改 %1 条，新增 %2 条，删除 %3 条，改序号 %4 条</translation>
    </message>
    <message>
        <source>%1 paragraphs changed, %2 inserted, %3 deleted, %4 renumbered</source>
        <translation>修改 %1 段，新增 %2 段，删除 %3 段，改序号 %4 段</translation>
    </message>
    <message>
        <source>%1 units changed, %2 inserted, %3 deleted, %4 renumbered</source>
        <translation>修改 %1 处，新增 %2 处，删除 %3 处，改序号 %4 处</translation>
    </message>
    <message>
        <source>, %1 moved</source>
        <translation>，移动 %1 处</translation>
    </message>
    <message>
        <source>, %1 other parts (headings, front matter…) changed</source>
        <translation>；标题等其他部分另有 %1 处改动</translation>
    </message>
    <message>
        <source>Previous c&amp;hapter</source>
        <translation>上一章(&amp;H)</translation>
    </message>
    <message>
        <source>Previous s&amp;ection</source>
        <translation>上一节(&amp;E)</translation>
    </message>
    <message>
        <source>Read, search and annotate official documents offline.</source>
        <translation>离线阅读、搜索和批注正式文件。</translation>
    </message>
    <message>
        <source>Reset &amp;zoom</source>
        <translation>重置缩放(&amp;Z)</translation>
    </message>
    <message>
        <source>Write the note…</source>
        <translation>写下批注…</translation>
    </message>
    <message>
        <source>Zoom level (Ctrl+0 resets)</source>
        <translation>缩放比例（Ctrl+0 重置）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>%n result (%1 ms)</source>
        <translation>%n 条结果（%1 毫秒）</translation>
    </message>
    <message>
        <source>%n results (%1 ms)</source>
        <translation>%n 条结果（%1 毫秒）</translation>
    </message>
    <message>
        <source>37, ¶37, 第37段, 第十条, Article 10, 一., A.</source>
        <translation>37、¶37、第37段、第十条、Article 10、一.、A.</translation>
    </message>
    <message>
        <source>Go to</source>
        <translation>转到</translation>
    </message>
    <message>
        <source>Go to %1</source>
        <translation>转到 %1</translation>
    </message>
    <message>
        <source>Nothing in this document is called “%1”.</source>
        <translation>本文件中没有“%1”。</translation>
    </message>
    <message>
        <source>Paragraph, article or section:</source>
        <translation>段落、条款或章节：</translation>
    </message>
    <message>
        <source>Press Enter to go there.</source>
        <translation>按 Enter 前往。</translation>
    </message>
    <message>
        <source>Show more results</source>
        <translation>显示更多结果</translation>
    </message>
    <message>
        <source>Type a paragraph number, an article or a section label.</source>
        <translation>输入段落编号、条款或章节标号。</translation>
    </message>
    <message>
        <source>By relevance</source>
        <translation>按相关度</translation>
    </message>
    <message>
        <source>In document order</source>
        <translation>按文件顺序</translation>
    </message>
    <message>
        <source>(%n more in Messages)</source>
        <translation>（另有 %n 条见“消息”）</translation>
    </message>
    <message>
        <source>Copied.</source>
        <translation>已复制。</translation>
    </message>
    <message>
        <source>Highlighted.</source>
        <translation>已高亮。</translation>
    </message>
    <message>
        <source>Imported %1 of %n file.</source>
        <translation>已导入 %1 个文件（共 %n 个）。</translation>
    </message>
    <message>
        <source>Imported %1 of %n files.</source>
        <translation>已导入 %1 个文件（共 %n 个）。</translation>
    </message>
    <message>
        <source>Importing %n files…</source>
        <translation>正在导入 %n 个文件…</translation>
    </message>
    <message>
        <source>Importing %n file…</source>
        <translation>正在导入 %n 个文件…</translation>
    </message>
    <message>
        <source>Note deleted.</source>
        <translation>批注已删除。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Without notes</source>
        <translation>不含批注</translation>
    </message>
    <message>
        <source>Notes in the margin</source>
        <translation>批注置于页边</translation>
    </message>
    <message>
        <source>Notes as endnotes</source>
        <translation>批注作为尾注</translation>
    </message>
    <message>
        <source>Notes in the printout</source>
        <translation>打印稿中的批注</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>批注：</translation>
    </message>
    <message>
        <source>Export as PDF</source>
        <translation>导出为 PDF</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>The PDF could not be written: %1</source>
        <translation>PDF 无法写入：%1</translation>
    </message>
    <message>
        <source>Exported %1 (%n page).</source>
        <translation>已导出 %1（%n 页）。</translation>
    </message>
    <message>
        <source>Exported %1 (%n pages).</source>
        <translation>已导出 %1（%n 页）。</translation>
    </message>
    <message>
        <source>Side panels are hidden to give the text room; they return when the window is wider.</source>
        <translation>侧边面板已隐藏，为正文留出空间；窗口变宽后会恢复。</translation>
    </message>
    <message>
        <source>Exporting %1…</source>
        <translation>正在导出 %1…</translation>
    </message>
    <message>
        <source>Printing is not available here; export as PDF and print that.</source>
        <translation>此处无法打印；请导出为 PDF 后打印。</translation>
    </message>
    <message>
        <source>%1 versions aligned; %2 pairs of low confidence are marked.</source>
        <translation>已对齐 %1 个语言版本；%2 对低置信度的段落已标出。</translation>
    </message>
    <message>
        <source>&amp;Link as a language version of…</source>
        <translation>链接为另一文件的语言版本(&amp;L)…</translation>
    </message>
    <message>
        <source>Add a version</source>
        <translation>添加一个语言版本</translation>
    </message>
    <message>
        <source>Aligned by %1, confidence %2: check the other version</source>
        <translation>按%1对齐，置信度 %2：请核对另一版本</translation>
    </message>
    <message>
        <source>Aligning the language versions…</source>
        <translation>正在对齐各语言版本…</translation>
    </message>
    <message>
        <source>Correct the document's l&amp;anguage…</source>
        <translation>更正文件的语言(&amp;A)…</translation>
    </message>
    <message>
        <source>Could not align the versions: %1</source>
        <translation>无法对齐各语言版本：%1</translation>
    </message>
    <message>
        <source>Find in every version</source>
        <translation>在所有版本中查找</translation>
    </message>
    <message>
        <source>Go to: 37, Article 5, 第五条…</source>
        <translation>转到：37、第五条、Article 5…</translation>
    </message>
    <message>
        <source>Language of the document</source>
        <translation>文件的语言</translation>
    </message>
    <message>
        <source>Languages</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Link a language version</source>
        <translation>链接语言版本</translation>
    </message>
    <message>
        <source>Linked: %1 language versions.</source>
        <translation>已链接：共 %1 个语言版本。</translation>
    </message>
    <message>
        <source>No counterpart found in the other version</source>
        <translation>在另一版本中未找到对应段落</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>打开%1</translation>
    </message>
    <message>
        <source>Read language versions &amp;side by side</source>
        <translation>并排阅读各语言版本(&amp;S)</translation>
    </message>
    <message>
        <source>Read side by side</source>
        <translation>并排阅读</translation>
    </message>
    <message>
        <source>Remove the last version</source>
        <translation>移除最后一个版本</translation>
    </message>
    <message>
        <source>Side by side — %1</source>
        <translation>并排阅读 — %1</translation>
    </message>
    <message>
        <source>There is no other document to link to.</source>
        <translation>没有可以链接的其他文件。</translation>
    </message>
    <message>
        <source>This document has no other language version. Import one, or link one with File › Link.</source>
        <translation>此文件没有其他语言版本。请导入一个，或通过“文件 › 链接”手动链接。</translation>
    </message>
    <message>
        <source>This document is a translation of:</source>
        <translation>此文件是以下文件的译本：</translation>
    </message>
    <message>
        <source>This document is written in:</source>
        <translation>此文件使用的语言：</translation>
    </message>
    <message>
        <source>number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>label</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <source>length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Only in this language</source>
        <translation>仅用本语言</translation>
    </message>
    <message>
        <source>Also cite each paragraph in:</source>
        <translation>同时用以下语言引用各段：</translation>
    </message>
    <message>
        <source>Indexing words: %1 of %n document</source>
        <translation>正在索引词语：第 %1 篇，共 %n 篇文件</translation>
    </message>
    <message>
        <source>Indexing words: %1 of %n documents</source>
        <translation>正在索引词语：第 %1 篇，共 %n 篇文件</translation>
    </message>
    <message>
        <source>Exact search works meanwhile; looser word matches follow.</source>
        <translation>其间可照常精确搜索；较宽松的词语匹配稍后提供。</translation>
    </message>
    <message>
        <source>This note's passage is not in this revision; its quote is kept in the note.</source>
        <translation>此批注所在的段落不在本修订版中；引文仍保存在批注里。</translation>
    </message>
    <message>
        <source>%1 of %n document</source>
        <translation>%1 份，共 %n 份文件</translation>
    </message>
    <message>
        <source>%1 of %n documents</source>
        <translation>%1 份，共 %n 份文件</translation>
    </message>
    <message>
        <source>No document matches “%1”.</source>
        <translation>没有与“%1”相符的文件。</translation>
    </message>
    <message>
        <source>Filter by title, symbol or language</source>
        <translation>按标题、文号或语言筛选</translation>
    </message>
    <message>
        <source>This document has no chapters or sections. Ctrl+G goes to a paragraph by its number.</source>
        <translation>本文件没有章节标题。按 Ctrl+G 可按编号转到段落。</translation>
    </message>
    <message>
        <source>&amp;Open from the library…</source>
        <translation>从文库打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open from the library</source>
        <translation>从文库打开</translation>
    </message>
    <message>
        <source>Document to open:</source>
        <translation>要打开的文件：</translation>
    </message>
    <message>
        <source>The library is empty: import documents first (Ctrl+O).</source>
        <translation>文库为空：请先导入文件（Ctrl+O）。</translation>
    </message>
    <message>
        <source>Search starts when this is done.</source>
        <translation>完成后即可搜索。</translation>
    </message>
    <message>
        <source>Word matching is unavailable: %1</source>
        <translation>词语匹配不可用：%1</translation>
    </message>
</context>
</TS>
