// Audits npm lockfiles for known vulnerabilities: `npm audit --audit-level=high` on each folder given, minus the
// advisories security/npm-audit-suppressions.json accepts (each with its reason). SECURITY.md describes the policy.
//
// Usage: node security/npm-audit.mjs [--suppressions FILE] FOLDER...
// Exit codes:
//   0  every lockfile was audited: no high or critical advisory stands
//   1  a high or critical advisory stands (fix it, or record it with its reason in the suppressions file)
//   2  the suppressions file or a folder is invalid
//   3  no vulnerability found, but at least one lockfile could NOT be audited: the advisory service did not answer
//      (offline, refused or failing). That is not a clean audit; the caller decides what it means for the build.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const gating = new Set(["high", "critical"]);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function fail(message) {
  console.error(`npm audit: ${message}`);
  process.exit(2);
}

function parseArguments(argv) {
  let suppressionsFile = path.join(repoRoot, "security", "npm-audit-suppressions.json");
  const folders = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--suppressions") {
      suppressionsFile = argv[++i] ?? fail("--suppressions needs a file.");
    } else {
      folders.push(argv[i]);
    }
  }
  if (folders.length === 0) fail("name at least one folder that holds a package-lock.json.");
  return { suppressionsFile, folders };
}

// Lockfile paths are relative to the repository root, so that one entry means the same wherever the script runs from.
function lockfileOf(folder) {
  const lockfile = path.resolve(folder, "package-lock.json");
  if (!existsSync(lockfile)) fail(`${folder} has no package-lock.json.`);
  return path.relative(repoRoot, lockfile).split(path.sep).join("/");
}

function loadSuppressions(file) {
  let entries;
  try {
    entries = JSON.parse(readFileSync(file, "utf8")).suppressions;
  } catch (error) {
    fail(`cannot read ${file}: ${error.message}`);
  }
  if (!Array.isArray(entries)) fail(`${file} must hold {"suppressions": [...]}.`);
  entries.forEach((entry, index) => {
    const where = `${file}, suppression ${index + 1}`;
    if (!/^https:\/\/github\.com\/advisories\/GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/.test(entry.advisory ?? ""))
      fail(`${where}: "advisory" must be the advisory's URL, https://github.com/advisories/GHSA-xxxx-xxxx-xxxx.`);
    if (typeof entry.package !== "string" || entry.package === "") fail(`${where}: "package" must name the npm package.`);
    if (typeof entry.lockfile !== "string" || !existsSync(path.join(repoRoot, entry.lockfile)))
      fail(`${where}: "lockfile" must be a package-lock.json path relative to the repository root.`);
    if (typeof entry.reason !== "string" || entry.reason.trim().length < 20)
      fail(`${where}: "reason" must say why the advisory does not apply or cannot be fixed yet.`);
  });
  return entries;
}

// The advisories behind a report: npm lists each vulnerable package with the advisories (objects) or the vulnerable
// packages it depends on (names) in `via`; only the objects are advisories.
function advisoriesOf(report) {
  const advisories = new Map();
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via ?? []) {
      if (typeof via === "object" && via.url) {
        advisories.set(`${via.name} ${via.url}`, { package: via.name, url: via.url, severity: via.severity, title: via.title, range: via.range });
      }
    }
  }
  return [...advisories.values()];
}

function audit(folder) {
  const run = spawnSync("npm", ["audit", "--json", "--audit-level=high"], { cwd: folder, encoding: "utf8", shell: process.platform === "win32" });
  if (run.error) fail(`cannot run npm: ${run.error.message}`);
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    return { unavailable: (run.stderr || run.stdout || `npm exited with ${run.status}`).trim().split("\n")[0] };
  }
  // A report has a version; anything else is npm's error object (network failure, refused request, server error).
  if (report.auditReportVersion === undefined) return { unavailable: report.message ?? JSON.stringify(report) };
  return { advisories: advisoriesOf(report), counts: report.metadata?.vulnerabilities ?? {} };
}

const { suppressionsFile, folders } = parseArguments(process.argv.slice(2));
const suppressions = loadSuppressions(suppressionsFile);
const used = new Set();
let standing = 0;
let unaudited = 0;

for (const folder of folders) {
  const lockfile = lockfileOf(folder);
  const result = audit(folder);
  if (result.unavailable) {
    unaudited++;
    console.log(`${lockfile}: NOT AUDITED: the advisory service did not answer (${result.unavailable})`);
    continue;
  }
  const suppressedHere = (advisory) =>
    suppressions.find((s) => s.lockfile === lockfile && s.package === advisory.package && s.advisory === advisory.url);
  const gatingAdvisories = result.advisories.filter((a) => gating.has(a.severity));
  const lower = result.advisories.filter((a) => !gating.has(a.severity));
  for (const advisory of gatingAdvisories) {
    const suppression = suppressedHere(advisory);
    if (suppression) {
      used.add(suppression);
      console.log(`${lockfile}: accepted ${advisory.severity} ${advisory.package} ${advisory.url} (${suppression.reason})`);
    } else {
      standing++;
      console.log(`${lockfile}: ${advisory.severity.toUpperCase()} ${advisory.package} ${advisory.range ?? ""} ${advisory.url} ${advisory.title ?? ""}`);
    }
  }
  // npm counts vulnerable packages (a package that depends on a vulnerable one counts too); the advisories are fewer.
  const levels = Object.entries(result.counts).filter(([level, count]) => level !== "total" && count > 0).map(([level, count]) => `${count} ${level}`);
  console.log(`${lockfile}: audited (vulnerable packages: ${levels.length ? levels.join(", ") : "none"}; advisories below high, reported only: ${lower.length})`);
}

for (const suppression of suppressions) {
  if (!used.has(suppression) && folders.some((f) => lockfileOf(f) === suppression.lockfile) && unaudited === 0) {
    console.log(`${suppression.lockfile}: the suppression of ${suppression.advisory} (${suppression.package}) matched nothing: remove it.`);
  }
}

if (standing > 0) {
  console.log(`npm audit: ${standing} high or critical ${standing === 1 ? "advisory stands" : "advisories stand"}. Update the package (npm overrides for a transitive one) or record the advisory with its reason in ${path.relative(repoRoot, suppressionsFile)}.`);
  process.exit(1);
}
if (unaudited > 0) {
  console.log(`npm audit: ${unaudited} of ${folders.length} lockfiles were NOT audited (the advisory service did not answer): this is not a clean audit.`);
  process.exit(3);
}
console.log(`npm audit: ${folders.length} lockfiles audited, no high or critical advisory stands.`);
