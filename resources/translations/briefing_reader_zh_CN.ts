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
</context>
</TS>
