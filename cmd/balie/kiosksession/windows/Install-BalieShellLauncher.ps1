<#
.SYNOPSIS
    Makes balie.exe the shell of the kiosk account on a Windows kiosk PC
    (Shell Launcher v2), so that the Digitale Balie is the only program on
    its screen and starts again when it crashes.

.DESCRIPTION
    Assigned Access's single-app kiosk runs only a UWP app or Microsoft Edge;
    balie.exe is a desktop (Win32) program, so it takes Shell Launcher, which
    replaces Explorer with it for one account. Needs Windows 10/11
    Enterprise, Education or IoT Enterprise (not Pro), and administrator
    rights. Install balie.exe in "C:\Program Files\Digitale Balie\" first.

    The script, run again, changes nothing that is already right:
      1. turns on the Windows feature Client-EmbeddedShellLauncher (a restart
         may be needed; then run the script again);
      2. creates the local account (default "kiosk") if it is missing, a
         member of Users only, without a password;
      3. creates %ProgramData%\Digitale Balie\kiosk.toml if it is missing and
         lets the kiosk account change what is in that folder (staff mode
         saves there, to a new file that replaces the old one, so the right
         is the folder's and every new file inherits it);
      4. applies shell-launcher.xml (next to this script):
           -Method Wmi        (default) through the WESL_UserSetting WMI
                              class, as administrator: the shell and exit
                              code actions are read from the XML;
           -Method MdmBridge  the XML itself through the MDM Bridge WMI
                              provider (MDM_AssignedAccess.ShellLauncher),
                              as Intune would; must run as SYSTEM:
                              psexec.exe -i -s powershell.exe -ExecutionPolicy Bypass -File Install-BalieShellLauncher.ps1 -Method MdmBridge
      5. with -AutoLogon, signs the kiosk account in at every start.
    Administrators keep Explorer. -Remove undoes 4 and 5.

    Exit code 0 of balie.exe (staff pressed Ctrl+Alt+Q) leaves the screen
    empty: press Ctrl+Alt+Del and sign out. Any other exit code restarts it.

.EXAMPLE
    powershell.exe -ExecutionPolicy Bypass -File Install-BalieShellLauncher.ps1 -AutoLogon

.EXAMPLE
    powershell.exe -ExecutionPolicy Bypass -File Install-BalieShellLauncher.ps1 -Remove
#>
#Requires -RunAsAdministrator
[CmdletBinding()]
param(
    [string]$KioskUser = 'kiosk',
    [ValidateSet('Wmi', 'MdmBridge')]
    [string]$Method = 'Wmi',
    [switch]$AutoLogon,
    [switch]$Remove,
    [string]$ConfigXml = (Join-Path $PSScriptRoot 'shell-launcher.xml')
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# Shell Launcher's actions by name (the XML) and by number (WMI).
$Actions = @{ RestartShell = 0; RestartDevice = 1; ShutdownDevice = 2; DoNothing = 3 }
$WeslNamespace = 'root\standardcimv2\embedded'
$AdministratorsSid = 'S-1-5-32-544'
$UsersSid = 'S-1-5-32-545'
$Winlogon = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon'

function Step([string]$Text) { Write-Host "-- $Text" }

$os = Get-CimInstance -ClassName Win32_OperatingSystem
if ($os.Caption -notmatch 'Enterprise|Education|IoT') {
    throw "Shell Launcher needs Windows Enterprise, Education or IoT Enterprise; this PC runs $($os.Caption)."
}

if ($Remove) {
    $user = Get-LocalUser -Name $KioskUser -ErrorAction SilentlyContinue
    if ($user) {
        Step "Explorer again for $KioskUser"
        Invoke-CimMethod -Namespace $WeslNamespace -ClassName WESL_UserSetting -MethodName RemoveCustomShell `
            -Arguments @{ Sid = $user.SID.Value } -ErrorAction SilentlyContinue | Out-Null
    }
    Invoke-CimMethod -Namespace $WeslNamespace -ClassName WESL_UserSetting -MethodName SetEnabled `
        -Arguments @{ Enabled = $false } -ErrorAction SilentlyContinue | Out-Null
    if ((Get-ItemProperty -Path $Winlogon -Name DefaultUserName -ErrorAction SilentlyContinue).DefaultUserName -eq $KioskUser) {
        Step 'no automatic sign-in'
        Set-ItemProperty -Path $Winlogon -Name AutoAdminLogon -Value '0'
    }
    Step 'done: restart Windows'
    exit 0
}

# 1. The feature.
$feature = Get-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher
if ($feature.State -ne 'Enabled') {
    Step 'turning on Shell Launcher (Client-EmbeddedShellLauncher)'
    $result = Enable-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher -All -NoRestart
    if ($result.RestartNeeded) {
        Write-Warning 'Restart Windows, then run this script again.'
        exit 3010
    }
}

# The configuration: balie.exe's command line and what to do when it ends.
[xml]$config = Get-Content -Raw -Encoding UTF8 -Path $ConfigXml
$ns = @{ sl = 'http://schemas.microsoft.com/ShellLauncher/2018/Configuration' }
$shellNode = (Select-Xml -Xml $config -Namespace $ns -XPath '//sl:Profile/sl:Shell' | Select-Object -First 1).Node
$shell = $shellNode.GetAttribute('Shell')
[int[]]$codes = @()
[int[]]$codeActions = @()
foreach ($a in (Select-Xml -Xml $config -Namespace $ns -XPath '//sl:Profile/sl:Shell/sl:ReturnCodeActions/sl:ReturnCodeAction')) {
    $codes += [int]$a.Node.GetAttribute('ReturnCode')
    $codeActions += $Actions[$a.Node.GetAttribute('Action')]
}
$defaultAction = $Actions[(Select-Xml -Xml $config -Namespace $ns -XPath '//sl:Profile/sl:Shell/sl:DefaultAction').Node.GetAttribute('Action')]
$exe = [Environment]::ExpandEnvironmentVariables(($shell -split '"')[1])
if (-not (Test-Path -LiteralPath $exe)) {
    throw "$exe is missing: install the Digitale Balie first."
}

# 2. The kiosk account.
$user = Get-LocalUser -Name $KioskUser -ErrorAction SilentlyContinue
if (-not $user) {
    Step "creating the local account $KioskUser"
    $user = New-LocalUser -Name $KioskUser -NoPassword -FullName 'Digitale Balie' `
        -Description 'Kiosk account: balie.exe is its shell' -AccountNeverExpires -UserMayNotChangePassword
    Add-LocalGroupMember -SID $UsersSid -Member $KioskUser
}

# 3. The kiosk's configuration file, which staff mode saves to.
$dataDir = Join-Path $env:ProgramData 'Digitale Balie'
$toml = Join-Path $dataDir 'kiosk.toml'
if (-not (Test-Path -LiteralPath $toml)) {
    Step "creating $toml (practice mode until staff set the gateway)"
    New-Item -ItemType Directory -Force -Path $dataDir | Out-Null
    # UTF-8 without a byte order mark.
    [IO.File]::WriteAllText($toml, "# Digitale Balie kiosk. Staff mode writes this file; see cmd/DEPLOYMENT.md.`n", (New-Object Text.UTF8Encoding $false))
}
# (OI)(CI)M: modify, inherited by the files made in the folder, so that a
# kiosk.toml rewritten by staff mode or by "balie.exe -set-pin" keeps it.
& icacls.exe $dataDir /grant "${KioskUser}:(OI)(CI)M" | Out-Null
if ($LASTEXITCODE -ne 0) { throw "icacls could not give $KioskUser write access to $dataDir" }
& icacls.exe $toml /grant "${KioskUser}:M" | Out-Null
if ($LASTEXITCODE -ne 0) { throw "icacls could not give $KioskUser write access to $toml" }

# 4. The shell.
if ($Method -eq 'Wmi') {
    Step "balie.exe as the shell of $KioskUser (WESL_UserSetting)"
    $sid = $user.SID.Value
    Invoke-CimMethod -Namespace $WeslNamespace -ClassName WESL_UserSetting -MethodName SetDefaultShell `
        -Arguments @{ Shell = 'explorer.exe'; DefaultAction = $Actions.RestartShell } | Out-Null
    foreach ($s in @($AdministratorsSid, $sid)) {
        Invoke-CimMethod -Namespace $WeslNamespace -ClassName WESL_UserSetting -MethodName RemoveCustomShell `
            -Arguments @{ Sid = $s } -ErrorAction SilentlyContinue | Out-Null
    }
    Invoke-CimMethod -Namespace $WeslNamespace -ClassName WESL_UserSetting -MethodName SetCustomShell `
        -Arguments @{ Sid = $AdministratorsSid; Shell = 'explorer.exe'; DefaultAction = $Actions.RestartShell } | Out-Null
    Invoke-CimMethod -Namespace $WeslNamespace -ClassName WESL_UserSetting -MethodName SetCustomShell `
        -Arguments @{ Sid = $sid; Shell = $shell; CustomReturnCodes = $codes; CustomReturnCodesAction = $codeActions; DefaultAction = $defaultAction } | Out-Null
    Invoke-CimMethod -Namespace $WeslNamespace -ClassName WESL_UserSetting -MethodName SetEnabled `
        -Arguments @{ Enabled = $true } | Out-Null
} else {
    if (-not [Security.Principal.WindowsIdentity]::GetCurrent().IsSystem) {
        throw 'The MDM bridge takes the configuration only from SYSTEM: psexec.exe -i -s powershell.exe -ExecutionPolicy Bypass -File Install-BalieShellLauncher.ps1 -Method MdmBridge'
    }
    Step "shell-launcher.xml for $KioskUser (MDM_AssignedAccess)"
    $account = (Select-Xml -Xml $config -Namespace $ns -XPath '//sl:Config/sl:Account').Node
    $account.SetAttribute('Name', $KioskUser)
    $bridge = Get-CimInstance -Namespace 'root\cimv2\mdm\dmmap' -ClassName MDM_AssignedAccess
    $bridge.ShellLauncher = [System.Net.WebUtility]::HtmlEncode($config.OuterXml)
    Set-CimInstance -CimInstance $bridge
}

# 5. Signing the kiosk account in at start.
if ($AutoLogon) {
    Step "$KioskUser signs in by itself at every start"
    Set-ItemProperty -Path $Winlogon -Name AutoAdminLogon -Value '1'
    Set-ItemProperty -Path $Winlogon -Name DefaultUserName -Value $KioskUser
    Set-ItemProperty -Path $Winlogon -Name DefaultDomainName -Value $env:COMPUTERNAME
    Remove-ItemProperty -Path $Winlogon -Name DefaultPassword -ErrorAction SilentlyContinue
}

Step "done: restart Windows; $KioskUser gets balie.exe as its shell"
