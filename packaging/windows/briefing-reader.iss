; Inno Setup 6 script: per-user installer for Briefing Reader on Windows (no admin rights).
;
; Build (on Windows, from the repository root, after `pip install -e .[packaging]`):
;   pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\briefing-reader.spec
;   dist\briefing-reader\briefing-reader-cli.exe --self-test
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\windows\briefing-reader.iss
; Result: dist\briefing-reader-0.1.0-setup.exe (see docs\PACKAGING.md).
;
; The spec produces dist\briefing-reader\ with briefing-reader.exe (the window,
; no console) and briefing-reader-cli.exe (the command line, incl. --self-test),
; sharing one _internal\ folder: the same contents as the Linux bundle.

#define AppName "Briefing Reader"
#define AppVersion "0.1.0"
#define AppExe "briefing-reader.exe"
#define BundleDir "..\..\dist\briefing-reader"

[Setup]
AppId={{7D2B6F1E-4C1A-4B8E-9F3D-5A1C2E8B6D40}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Briefing Reader team
; Per-user install: no UAC prompt, files under %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\Briefing Reader
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=briefing-reader-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\briefing-reader.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The library (documents, index, notes) lives in the user's data folder, not in
; {app}: uninstalling never deletes a delegate's notes.
