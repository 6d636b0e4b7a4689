<#
.SYNOPSIS
Installs or upgrades the MidirEdge agent as a Windows service (see install/README.md).

.DESCRIPTION
Publishes the agent (self-contained, win-x64), or takes an already published folder (-From), copies it to
-Prefix, writes -DataDir\midir-edge.json only if it is absent, and registers the service "midir-edge"
(automatic start, restarted on failure, running as the virtual account NT SERVICE\midir-edge), then starts it.
Running it again stops the service, replaces the binaries and starts it; settings and data are kept.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File install\install.ps1
#>
[CmdletBinding()]
param(
    # A folder made by: dotnet publish src/MidirEdge.Cli -c Release -r win-x64 --self-contained -o DIR
    [string] $From,
    [string] $Prefix = (Join-Path $env:ProgramFiles 'MidirEdge'),
    [string] $DataDir = (Join-Path $env:ProgramData 'MidirEdge')
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$name = 'midir-edge'
$account = "NT SERVICE\$name"

function Fail([string] $message) {
    [Console]::Error.WriteLine("install.ps1: $message")
    exit 1
}

$admin = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
if (-not $admin) { Fail 'must run as Administrator (an elevated PowerShell)' }

# 1. Binaries: publish while any running service keeps running.
$temporary = $null
if ($From) {
    if (-not (Test-Path -LiteralPath $From -PathType Container)) { Fail "-From $From is not a folder" }
    $From = (Resolve-Path -LiteralPath $From).Path
}
else {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Fail 'dotnet not found: install the .NET 10 SDK, or publish elsewhere and pass -From DIR' }
    $temporary = Join-Path ([IO.Path]::GetTempPath()) "midir-edge-$([guid]::NewGuid().ToString('N'))"
    $From = $temporary
    Write-Host 'midir-edge: publishing the agent for win-x64 (self-contained)'
    & dotnet publish (Join-Path $PSScriptRoot '..\src\MidirEdge.Cli') -c Release -r win-x64 --self-contained -o $From --nologo -v quiet --disable-build-servers
    if ($LASTEXITCODE -ne 0) { Fail 'dotnet publish failed' }
}
if (-not (Test-Path -LiteralPath (Join-Path $From 'midir-edge.exe'))) { Fail "$From holds no midir-edge.exe (use the output of dotnet publish)" }
if ([IO.Path]::GetFullPath($From).TrimEnd('\') -eq [IO.Path]::GetFullPath($Prefix).TrimEnd('\')) { Fail '-From must not be the install folder itself' }
if ((Test-Path -LiteralPath $Prefix) -and -not (Test-Path -LiteralPath (Join-Path $Prefix 'midir-edge.exe')) -and (Get-ChildItem -LiteralPath $Prefix -Force)) {
    Fail "$Prefix is not empty and holds no midir-edge.exe: refusing to replace it (choose another -Prefix)"
}

# 2. Stop the service and replace the binaries.
$service = Get-Service -Name $name -ErrorAction SilentlyContinue
if ($service -and $service.Status -ne 'Stopped') {
    Write-Host 'midir-edge: stopping the running service'
    Stop-Service -Name $name
}
# The process may outlive the service's Stopped state by a moment and hold its files open.
Get-Process -Name $name -ErrorAction SilentlyContinue | Wait-Process -Timeout 60
if (Test-Path -LiteralPath $Prefix) { Remove-Item -LiteralPath $Prefix -Recurse -Force }
New-Item -ItemType Directory -Path $Prefix | Out-Null
Copy-Item -Path (Join-Path $From '*') -Destination $Prefix -Recurse
if ($temporary) { Remove-Item -LiteralPath $temporary -Recurse -Force }
Write-Host "midir-edge: installed in $Prefix"

# 3. Data folder and settings; existing ones are kept as they are.
$inbox = Join-Path $DataDir 'inbox'
$models = Join-Path $DataDir 'models'
New-Item -ItemType Directory -Force -Path $inbox, $models | Out-Null
$config = Join-Path $DataDir 'midir-edge.json'
if (Test-Path -LiteralPath $config) {
    Write-Host "midir-edge: keeping the settings in $config"
}
else {
    $site = $env:COMPUTERNAME.ToLowerInvariant() -replace '[^a-z0-9_-]', ''
    if (-not $site) { $site = 'lab' }
    $settings = [ordered]@{
        MidirEdge = [ordered]@{
            Site       = $site
            Instrument = 'ftir-1'
            DataDir    = $DataDir
            Adapters   = [ordered]@{ FileWatch = [ordered]@{ Path = $inbox; Include = @('*') } }
            Models     = [ordered]@{ Path = $models }
            Mqtt       = [ordered]@{ Host = ''; Port = 1883 }
            Health     = [ordered]@{ Url = 'http://127.0.0.1:9464' }
        }
    }
    # UTF-8 without BOM in both Windows PowerShell 5.1 and PowerShell 7.
    [IO.File]::WriteAllText($config, ($settings | ConvertTo-Json -Depth 6), (New-Object Text.UTF8Encoding $false))
    Write-Host "midir-edge: wrote default settings to $config (Site $site, embedded MQTT broker on 127.0.0.1:1883)"
}

# 4. The service: automatic start, its own virtual account, restarted after a failure.
$command = "`"$(Join-Path $Prefix 'midir-edge.exe')`" run --config `"$config`""
if (-not $service) {
    New-Service -Name $name -BinaryPathName $command -DisplayName 'MidirEdge agent' -StartupType Automatic `
        -Description 'Reads the spectra an FTIR instrument writes, predicts soil properties, publishes them over MQTT.' | Out-Null
}
else {
    # Win32_Service.Change rather than sc.exe: Windows PowerShell mangles quotes passed to native programs.
    $wmi = Get-CimInstance -ClassName Win32_Service -Filter "Name='$name'"
    $result = Invoke-CimMethod -InputObject $wmi -MethodName Change -Arguments @{ PathName = $command; StartMode = 'Automatic' }
    if ($result.ReturnValue -ne 0) { Fail "could not update the service (Win32_Service.Change returned $($result.ReturnValue))" }
}
& sc.exe config $name obj= $account | Out-Null
if ($LASTEXITCODE -ne 0) { Fail "sc.exe config $name obj= $account failed ($LASTEXITCODE)" }
& sc.exe failure $name reset= 86400 actions= restart/5000/restart/5000/restart/60000 | Out-Null
if ($LASTEXITCODE -ne 0) { Fail "sc.exe failure $name failed ($LASTEXITCODE)" }
& sc.exe failureflag $name 1 | Out-Null
# The service account reads its settings and writes its data folder (cache, models, inbox).
& icacls.exe $DataDir /grant "${account}:(OI)(CI)M" /Q | Out-Null
if ($LASTEXITCODE -ne 0) { Fail "icacls could not give $account access to $DataDir" }

# The agent logs Information and above (appsettings.json, Logging:EventLog) to the Application event log; the account
# cannot register the source itself.
if (-not [Diagnostics.EventLog]::SourceExists($name)) { [Diagnostics.EventLog]::CreateEventSource($name, 'Application') }

Start-Service -Name $name
Write-Host "midir-edge: service $((Get-Service -Name $name).Status); logs: Event Viewer > Windows Logs > Application (source midir-edge)"
