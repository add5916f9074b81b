'use strict';
// The agent's Node handler runs this file. It only starts the .NET binary built for this platform; the binary
// reads its inputs from the environment and reports its own result with ##vso commands.
// Deliberately no azure-pipelines-task-lib: loading it deletes INPUT_*, ENDPOINT_AUTH_* and SECRET_* from
// process.env before the binary could inherit them.
// The agent treats a non-zero exit of node as an infrastructure failure, so every path here ends with exit code 0
// and reports failures as task.complete instead.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const binRoot = path.join(__dirname, 'bin');
const executable = process.platform === 'win32' ? 'ConfigureWorkloadIdentity.exe' : 'ConfigureWorkloadIdentity';
const os = { linux: 'linux', darwin: 'osx', win32: 'win' }[process.platform] || process.platform;
const rid = `${os}-${process.arch}`;
const muslRid = `linux-musl-${process.arch}`;

// The agent decodes %AZP25, %0D and %0A in a message, so those must be escaped ('%' first).
function escapeData(text) {
  return String(text).replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function fail(message) {
  process.stdout.write(`##vso[task.logissue type=error]${escapeData(message)}\n`);
  process.stdout.write(`##vso[task.complete result=Failed;]${escapeData(message)}\n`);
}

// glibc builds report the runtime glibc version; musl (Alpine) builds of node do not.
function isMusl() {
  return process.platform === 'linux' && !process.report.getReport().header.glibcVersionRuntime;
}

function findBinary() {
  const rids = fs.existsSync(path.join(binRoot, muslRid)) && isMusl() ? [muslRid, rid] : [rid];
  return rids.map((r) => path.join(binRoot, r, executable)).find((file) => fs.existsSync(file));
}

function shippedPlatforms() {
  const names = ['ConfigureWorkloadIdentity', 'ConfigureWorkloadIdentity.exe'];
  const holds = (dir) => names.some((name) => fs.existsSync(path.join(binRoot, dir, name)));
  try {
    return fs.readdirSync(binRoot).filter(holds).join(', ') || 'none';
  } catch {
    return 'none';
  }
}

function run() {
  const binary = findBinary();
  if (!binary) {
    fail(`ConfigureWorkloadIdentity has no binary for this agent's platform ${rid}` +
      ` (${process.platform}/${process.arch}${isMusl() ? ', musl' : ''}; looked for bin/${rid}/${executable}).` +
      ` The task ships binaries for: ${shippedPlatforms()}.`);
    return;
  }
  if (process.platform !== 'win32') {
    try {
      fs.chmodSync(binary, 0o755); // The agent extracts the task zip without file modes.
    } catch {
      // A read-only task folder may still hold an executable file; spawn reports it if not.
    }
  }

  const child = spawn(binary, [], { stdio: 'inherit', env: process.env, windowsHide: true });
  let forwarded;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      forwarded = signal;
      // On Windows the child shares the console and receives Ctrl+C itself; kill() there would be a hard kill.
      if (process.platform !== 'win32') child.kill(signal);
    });
  }

  let reported = false;
  child.on('error', (error) => {
    if (reported) return;
    reported = true;
    // ENOENT for a file that exists means its loader is missing, e.g. a glibc build on Alpine.
    const hint = error.code !== 'ENOENT' ? '' : isMusl() ? ` This is a musl (Alpine) system: it needs ${muslRid}.`
      : ' The file exists, so its loader or interpreter is missing.';
    fail(`ConfigureWorkloadIdentity could not start ${binary}: ${error.message}.${hint}`);
  });
  child.on('exit', (code, signal) => {
    if (reported || (code === 0 && !signal)) return;
    reported = true;
    const how = signal ? `was ended by signal ${signal}` : `exited with code ${code}`;
    if (forwarded) {
      process.stdout.write(`##vso[task.complete result=Canceled;]${escapeData(
        `ConfigureWorkloadIdentity ${how} after the agent sent ${forwarded}.`)}\n`);
    } else {
      fail(`ConfigureWorkloadIdentity ${how} without reporting a result (${binary}).`);
    }
  });
}

try {
  run();
} catch (error) {
  fail(`ConfigureWorkloadIdentity could not start: ${error && error.message}`);
}
process.exitCode = 0;
