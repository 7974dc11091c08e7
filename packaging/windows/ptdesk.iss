; Inno Setup 6 script: installs ptdesk for the signed-in Windows user (no administrator needed).
;
; Made by `python packaging\build.py --installer` after the one-folder build, which passes
;   /DAppVersion=<ptdesk.__version__>  /DSourceDir=<dist\ptdesk>  /DOutputDir=<dist\installer>
; It can also be compiled by hand with ISCC.exe from this folder (the defaults below apply).
;
; The clinic's data lives in %LOCALAPPDATA%\ptdesk (database, backups, logs): a different folder
; from the program's, and the uninstaller never deletes it.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\ptdesk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist\installer"
#endif

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{6115CE02-4EF3-4A95-A0E7-B95BC0AC2A1C}
AppName=ptdesk
AppVersion={#AppVersion}
AppVerName=ptdesk {#AppVersion}
AppPublisher=ptdesk
VersionInfoVersion={#AppVersion}
VersionInfoProductName=ptdesk
VersionInfoDescription=ptdesk setup
; Per-user install: {autopf} is %LOCALAPPDATA%\Programs when no administrator rights are used.
PrivilegesRequired=lowest
DefaultDirName={autopf}\ptdesk
DefaultGroupName=ptdesk
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=ptdesk-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\ptdesk.ico
UninstallDisplayIcon={app}\ptdesk.exe
UninstallDisplayName=ptdesk
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running ptdesk before files are replaced (it backs up on close).
CloseApplications=yes
RestartApplications=no
; Signing: the clinic's IT person defines a sign tool named "signtool" in the Inno Setup IDE
; (Tools > Configure Sign Tools), e.g.
;   signtool=signtool.exe sign /fd SHA256 /tr http://timestamp.example /td SHA256 /f "C:\path\clinic-cert.pfx" /p PASSWORD $f
; then removes the ";" in front of the next two lines so the installer and uninstaller are signed.
;SignTool=signtool
;SignedUninstaller=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder build. Only these files are removed on uninstall.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the previous build's libraries completely (none left over from old versions).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\ptdesk"; Filename: "{app}\ptdesk.exe"; WorkingDir: "{app}"; IconFilename: "{app}\ptdesk.exe"; Comment: "The clinic assistant"
Name: "{autodesktop}\ptdesk"; Filename: "{app}\ptdesk.exe"; WorkingDir: "{app}"; IconFilename: "{app}\ptdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\ptdesk.exe"; Description: "{cm:LaunchProgram,ptdesk}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox('ptdesk was removed. The clinic''s data (database and backups) was kept in '
      + ExpandConstant('{localappdata}\ptdesk') + '.', mbInformation, MB_OK);
end;
