#!/usr/bin/env pwsh
# The one entry point for building and testing, used by developers and CI alike:
#   dotnet tool restore
#   dotnet pwsh build.ps1 test
# Known shortcoming: 'publish' (self-contained binaries per platform into task/.../bin) and 'package' (the .vsix)
# are not here yet; they come with the marketplace packaging work (issue "A marketplace-ready extension").
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test')]
    [string[]] $Task = @('build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Set-Location $PSScriptRoot

function Invoke-Step([string] $Title, [scriptblock] $Command) {
    Write-Host "==> $Title"
    & $Command
    if ($LASTEXITCODE -ne 0) {
        throw "$Title failed with exit code $LASTEXITCODE"
    }
}

foreach ($name in $Task) {
    switch ($name) {
        'build' {
            Invoke-Step 'dotnet build' { dotnet build Extension.sln --configuration $Configuration }
        }
        'test' {
            Invoke-Step 'dotnet test' { dotnet test Extension.sln --configuration $Configuration }
        }
    }
}

exit $LASTEXITCODE
