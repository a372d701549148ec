; Sổ tay for Windows 10/11: a per-user install without administrator rights.
; makensis -DVERSION=0.1.0 -DBUNDLE_DIR=<the PyInstaller folder> [-DOUT_FILE=setup.exe] sotay.nsi
; The uninstaller removes the program only: branch data lives in %LOCALAPPDATA%\SoTay
; (platformdirs), outside $INSTDIR, and is kept.
Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef BUNDLE_DIR
  !error "pass -DBUNDLE_DIR=path\to\SoTay-x.y.z"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "SoTay-${VERSION}-setup.exe"
!endif

Name "Sổ tay ${VERSION}"
OutFile "${OUT_FILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\SoTay"
InstallDirRegKey HKCU "Software\SoTay" "InstallDir"
SetCompressor /SOLID lzma
BrandingText "Sổ tay bí thư chi bộ"

; makensis works in this script's folder; forward slashes suit Linux and Windows alike
!define MUI_ICON "../../resources/icons/sotay.ico"
!define MUI_UNICON "../../resources/icons/sotay.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\SoTay.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\SoTay"

Section "Sổ tay" SecMain
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE_DIR}/*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateDirectory "$SMPROGRAMS\Sổ tay"
  CreateShortcut "$SMPROGRAMS\Sổ tay\Sổ tay.lnk" "$INSTDIR\SoTay.exe"
  CreateShortcut "$SMPROGRAMS\Sổ tay\Gỡ cài đặt Sổ tay.lnk" "$INSTDIR\Uninstall.exe"
  CreateShortcut "$DESKTOP\Sổ tay.lnk" "$INSTDIR\SoTay.exe"
  WriteRegStr HKCU "Software\SoTay" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "Sổ tay ${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Sổ tay"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  ; Only the program. The branch data in $LOCALAPPDATA\SoTay stays for a reinstall.
  RMDir /r "$INSTDIR"
  Delete "$SMPROGRAMS\Sổ tay\Sổ tay.lnk"
  Delete "$SMPROGRAMS\Sổ tay\Gỡ cài đặt Sổ tay.lnk"
  RMDir "$SMPROGRAMS\Sổ tay"
  Delete "$DESKTOP\Sổ tay.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\SoTay"
SectionEnd
