#!/usr/bin/env pwsh
# The one entry point for building, testing and packaging, used by developers and CI alike:
#   dotnet tool restore
#   dotnet pwsh build.ps1 test                # build and run the tests
#   dotnet pwsh build.ps1 package             # publish every platform, then the .vsix into out/
#   dotnet pwsh build.ps1 package-test        # the package test against out/*.vsix (CI runs it)
#   dotnet pwsh build.ps1 benchmark           # package size, start-up, then the report out/benchmark.md
#   dotnet pwsh build.ps1 all                 # build, test, publish, package, package-test
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'publish', 'package', 'package-test', 'benchmark', 'all')]
    [string[]] $Task = @('build'),

    # Of build and test; publish is always Release.
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    # The platforms publish builds and package ships, as the shim names them (bin/<os>-<arch>).
    [ValidateSet('linux-x64', 'linux-arm64', 'win-x64', 'osx-arm64', 'osx-x64')]
    [string[]] $Runtime = @('linux-x64', 'linux-arm64', 'win-x64', 'osx-arm64', 'osx-x64'),

    # The Marketplace publisher id the .vsix is made for (vss-extension.json holds the default).
    [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9-]*$')]
    [string] $Publisher = 'configure-workload-identity',

    # package: reuse the binaries already in task/ConfigureWorkloadIdentityV1/bin instead of publishing again.
    [switch] $NoPublish,

    # Where package puts the .vsix (git-ignored).
    [string] $OutputPath = 'out',

    # Start-ups the benchmark measures; it reports the median.
    [ValidateRange(5, 1000)]
    [int] $Runs = 21
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Set-Location $PSScriptRoot

$taskFolder = Join-Path $PSScriptRoot 'task/ConfigureWorkloadIdentityV1'
$project = 'src/ConfigureWorkloadIdentity/ConfigureWorkloadIdentity.csproj'

function Invoke-Step([string] $Title, [scriptblock] $Command) {
    Write-Host "==> $Title"
    $global:LASTEXITCODE = 0
    & $Command
    if ($LASTEXITCODE -ne 0) {
        throw "$Title failed with exit code $LASTEXITCODE"
    }
}

function Format-Size([long] $Bytes) {
    '{0,8:N1} MiB' -f ($Bytes / 1MB)
}

function Get-TaskVersion {
    $version = (Get-Content (Join-Path $taskFolder 'task.json') -Raw | ConvertFrom-Json).version
    "$($version.Major).$($version.Minor).$($version.Patch)"
}

function Get-VsixPath {
    $manifest = Get-Content 'vss-extension.json' -Raw | ConvertFrom-Json
    Join-Path $PSScriptRoot $OutputPath "$Publisher.$($manifest.id)-$(Get-TaskVersion).vsix"
}

function Publish-Runtime([string] $Rid) {
    # The project decides per runtime: Native AOT for linux-x64 (the only target this Linux machine can link
    # natively), trimmed self-contained single-file for the others; see ConfigureWorkloadIdentity.csproj.
    $staging = Join-Path $PSScriptRoot "artifacts/publish/$Rid"
    Remove-Item $staging -Recurse -Force -ErrorAction Ignore
    Invoke-Step "dotnet publish ($Rid)" {
        dotnet publish $project --configuration Release --runtime $Rid --output $staging -nologo
    }

    # Only the executable ships: no symbols, no XML docs.
    $name = if ($Rid.StartsWith('win-')) { 'ConfigureWorkloadIdentity.exe' } else { 'ConfigureWorkloadIdentity' }
    $bin = Join-Path $taskFolder "bin/$Rid"
    Remove-Item $bin -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory $bin | Out-Null
    Copy-Item (Join-Path $staging $name) $bin
}

function Write-BinarySizes {
    Write-Host 'Binaries:'
    foreach ($rid in $Runtime) {
        $file = Get-ChildItem (Join-Path $taskFolder "bin/$rid") -File | Select-Object -First 1
        Write-Host ("  {0,-12} {1}  {2}" -f $rid, (Format-Size $file.Length), $file.Name)
    }
}

function New-Package {
    foreach ($rid in $Runtime) {
        if (-not (Test-Path (Join-Path $taskFolder "bin/$rid"))) {
            throw "task/ConfigureWorkloadIdentityV1/bin/$rid is missing; run 'build.ps1 publish' first."
        }
    }

    # The extension's version follows the task's: the file is kept in step, and tfx gets it explicitly too.
    $version = Get-TaskVersion
    $manifestPath = Join-Path $PSScriptRoot 'vss-extension.json'
    $manifestText = Get-Content $manifestPath -Raw
    $stepped = $manifestText -replace '("version"\s*:\s*")[^"]*(")', "`${1}$version`${2}"
    if ($stepped -ne $manifestText) {
        Write-Host "vss-extension.json: version set to $version (task.json's)"
        [IO.File]::WriteAllText($manifestPath, $stepped)
    }

    # tfx resolves the manifest's paths from the manifest's folder but looks for each task's task.json under
    # --root, so the package is made from one staged root: the manifest beside task/'s content. The manifest's
    # paths are relative to task/.
    $root = Join-Path $PSScriptRoot 'artifacts/vsix-root'
    Remove-Item $root -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory $root | Out-Null
    Copy-Item $manifestPath, (Join-Path $PSScriptRoot 'task/overview.md') $root
    Copy-Item $taskFolder, (Join-Path $PSScriptRoot 'task/images') $root -Recurse

    Invoke-Step 'npm ci (tfx-cli)' { npm ci --prefix task --no-audit --no-fund --loglevel=error }
    $vsix = Get-VsixPath
    Remove-Item $vsix -Force -ErrorAction Ignore
    New-Item -ItemType Directory (Split-Path $vsix) -Force | Out-Null
    $override = @{ version = $version } | ConvertTo-Json -Compress
    Invoke-Step 'tfx extension create' {
        & (Join-Path $PSScriptRoot 'task/node_modules/.bin/tfx') extension create --root $root `
            --manifest-globs vss-extension.json --publisher $Publisher --override $override `
            --output-path $vsix --no-prompt
    }

    Write-BinarySizes
    Write-Host ("Package:  {0}  {1}" -f (Format-Size (Get-Item $vsix).Length), $vsix)
}

function Invoke-PackageTest {
    $vsix = Get-VsixPath
    if (-not (Test-Path $vsix)) {
        throw "$vsix does not exist; run 'build.ps1 package' first."
    }

    $env:CWI_VSIX = $vsix
    Invoke-Step 'dotnet test (package)' {
        dotnet test tests/ConfigureWorkloadIdentity.Tests --configuration $Configuration --filter 'Category=Package'
    }
}

function Invoke-Benchmark {
    $vsix = Get-VsixPath
    if (-not (Test-Path $vsix)) {
        throw "$vsix does not exist; run 'build.ps1 package' first."
    }

    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [IO.Compression.ZipFile]::OpenRead($vsix)
    try {
        Write-Host "Package size per platform (bytes in the .vsix, compressed; on disk after install):"
        $shipped = 0L
        foreach ($group in $zip.Entries | Where-Object FullName -Match '/bin/([^/]+)/' | Group-Object {
                ($_.FullName -split '/bin/')[1].Split('/')[0] }) {
            $packed = ($group.Group | Measure-Object CompressedLength -Sum).Sum
            $disk = ($group.Group | Measure-Object Length -Sum).Sum
            $shipped += $packed
            Write-Host ("  {0,-12} {1} packed {2} on disk" -f $group.Name, (Format-Size $packed), (Format-Size $disk))
        }
        $total = (Get-Item $vsix).Length
        Write-Host ("  {0,-12} {1} packed" -f 'rest', (Format-Size ($total - $shipped)))
        Write-Host ("  {0,-12} {1}   (goal: at most 40 MiB)" -f 'total .vsix', (Format-Size $total))
    }
    finally {
        $zip.Dispose()
    }

    # The packaged task, unzipped as the agent does, run as the agent runs it: node <task>/run.js in task mode
    # (AGENT_VERSION set, no inputs, so the binary prints its banner and input errors and stops before any
    # network call). Measured: from starting node until the binary's first line arrives.
    $folder = Join-Path ([IO.Path]::GetTempPath()) "cwi-benchmark-$PID"
    Remove-Item $folder -Recurse -Force -ErrorAction Ignore
    [IO.Compression.ZipFile]::ExtractToDirectory($vsix, $folder)
    try {
        $shim = Get-ChildItem $folder -Recurse -Filter run.js | Select-Object -First 1
        $node = (Get-Command node).Source
        $times = New-Object System.Collections.Generic.List[double]
        for ($i = 0; $i -lt $Runs + 1; $i++) {
            $start = [Diagnostics.ProcessStartInfo]::new($node)
            $start.ArgumentList.Add($shim.FullName)
            $start.RedirectStandardOutput = $true
            $start.UseShellExecute = $false
            $start.Environment['AGENT_VERSION'] = '4.260.0'
            $stopwatch = [Diagnostics.Stopwatch]::StartNew()
            $process = [Diagnostics.Process]::Start($start)
            $first = $process.StandardOutput.ReadLine()
            $elapsed = $stopwatch.Elapsed.TotalMilliseconds
            $null = $process.StandardOutput.ReadToEnd()
            $process.WaitForExit()
            if ($first -notmatch 'Configure Workload Identity|##vso') {
                throw "The packaged task did not start as expected; its first line was: $first"
            }
            if ($i -gt 0) {
                $times.Add($elapsed) # The first run warms the file cache and is not counted.
            }
        }
        $sorted = $times | Sort-Object
        $median = $sorted[[int][Math]::Floor($sorted.Count / 2)]
        Write-Host ("Start-up of the packaged {0} task, node to the binary's first line, {1} runs:" -f `
                (Split-Path (Split-Path $shim.FullName) -Leaf), $times.Count)
        Write-Host ("  median {0:N1} ms, min {1:N1} ms, max {2:N1} ms   (goal: at most 150 ms)" -f `
                $median, $sorted[0], $sorted[-1])
    }
    finally {
        Remove-Item $folder -Recurse -Force -ErrorAction Ignore
    }

    # The rest of issue 7's measurements (cold start of the binary, one binding end to end at 0 and 50 ms per
    # request, requests per endpoint, peak memory, many bindings, the Azure CLI way) into out/benchmark.md.
    $binary = Join-Path $taskFolder 'bin/linux-x64/ConfigureWorkloadIdentity'
    $report = Join-Path $PSScriptRoot $OutputPath 'benchmark.md'
    Invoke-Step 'benchmark report' {
        dotnet run --project tests/Benchmark --configuration Release -- --binary $binary --vsix $vsix `
            --output $report --cold-start-runs $Runs
    }
}

$steps = if ($Task -contains 'all') { @('build', 'test', 'publish', 'package', 'package-test') } else { $Task }
foreach ($name in $steps) {
    switch ($name) {
        'build' {
            Invoke-Step 'dotnet build' { dotnet build Extension.sln --configuration $Configuration }
        }
        'test' {
            Invoke-Step 'dotnet test' { dotnet test Extension.sln --configuration $Configuration }
        }
        'publish' {
            foreach ($rid in $Runtime) {
                Publish-Runtime $rid
            }
            Write-BinarySizes
        }
        'package' {
            if (-not $NoPublish -and $Task -notcontains 'publish' -and $Task -notcontains 'all') {
                foreach ($rid in $Runtime) {
                    Publish-Runtime $rid
                }
            }
            New-Package
        }
        'package-test' {
            Invoke-PackageTest
        }
        'benchmark' {
            Invoke-Benchmark
        }
    }
}

exit 0 # every failing step has thrown, which exits pwsh with 1
