/** A description of the machine the benchmark ran on, from /proc and the OS, for the record. */
import { readFileSync } from "node:fs";
import { cpus, totalmem, release } from "node:os";

/** CPU model, core count, memory, kernel and runtime versions in one line. */
export function describeMachine(): string {
  let model = cpus()[0]?.model ?? "unknown CPU";
  try {
    model = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? model;
  } catch {
    // Not Linux: the OS's own name for the CPU will do.
  }
  const nproc = Bun.spawnSync(["nproc"]).stdout.toString().trim();
  const cores = nproc || String(cpus().length);
  const memGb = (totalmem() / 1024 ** 3).toFixed(1);
  return `${model}, ${cores} cores (nproc), ${memGb} GB RAM, Linux ${release()}, Bun ${Bun.version}`;
}
