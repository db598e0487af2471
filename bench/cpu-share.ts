/**
 * A process given the share of a CPU that Lambda gives a function of a memory size. Lambda
 * allocates CPU in proportion to memory, one vCPU-second per second at 1,769 MB
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html): 256 MB is 14.5 % of
 * a CPU. Linux enforces such a share with CFS bandwidth control, a cgroup's quota of CPU time per
 * period, counted across all cores. The bench makes one cgroup per memory size and starts the
 * execution environments inside it; the local servers that stand for AWS stay outside, unthrottled.
 *
 * It needs a writable cgroup CPU controller (root, cgroup v1 or v2). Without one, `openCpuShares`
 * says why, and the part that uses it is skipped with that reason.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const MB_PER_VCPU = 1769;
/**
 * CFS period: the kernel's default. A shorter one sounds smoother but distorts small shares: the
 * scheduler hands quota out in slices of 5 ms (sched_cfs_bandwidth_slice_us), and 256 MB's share
 * of a 20 ms period is 2.9 ms (measured: 512 MB then ran chains 4× as fast as 256 MB, not 2×).
 */
const PERIOD_US = 100_000;

export interface CpuShare {
  readonly memorySizeMb: number;
  /** Of one CPU: memorySizeMb ÷ 1,769. */
  readonly fraction: number;
  /** The group's process list: a process that writes its pid here, and every child after, gets the share. */
  readonly procsFile: string;
}

export interface CpuShares {
  readonly kind: "cgroup v1" | "cgroup v2";
  create(memorySizeMb: number): CpuShare;
  /** Removes the groups made (each must be empty: its processes ended). */
  close(): void;
}

const V1_ROOT = "/sys/fs/cgroup/cpu";
const V2_ROOT = "/sys/fs/cgroup";

export function openCpuShares(prefix = `passwordless-bench-${process.pid}`): CpuShares | { readonly unavailable: string } {
  const made: string[] = [];
  const attempt = (kind: CpuShares["kind"], root: string, limit: (dir: string, quotaUs: number) => void): CpuShares | string => {
    try {
      const probe = join(root, `${prefix}-probe`);
      mkdirSync(probe);
      try {
        limit(probe, PERIOD_US);
      } finally {
        rmdirSync(probe);
      }
    } catch (error) {
      return `${kind} at ${root}: ${(error as Error).message}`;
    }
    return {
      kind,
      create(memorySizeMb) {
        const dir = join(root, `${prefix}-${memorySizeMb}mb`);
        if (!existsSync(dir)) mkdirSync(dir);
        made.push(dir);
        const fraction = memorySizeMb / MB_PER_VCPU;
        limit(dir, Math.max(1000, Math.round(fraction * PERIOD_US)));
        return { memorySizeMb, fraction, procsFile: join(dir, "cgroup.procs") };
      },
      close() {
        for (const dir of made.splice(0)) if (existsSync(dir)) rmdirSync(dir);
      },
    };
  };

  const reasons: string[] = [];
  if (existsSync(join(V1_ROOT, "cpu.cfs_quota_us"))) {
    const v1 = attempt("cgroup v1", V1_ROOT, (dir, quotaUs) => {
      writeFileSync(join(dir, "cpu.cfs_period_us"), String(PERIOD_US));
      writeFileSync(join(dir, "cpu.cfs_quota_us"), String(quotaUs));
    });
    if (typeof v1 !== "string") return v1;
    reasons.push(v1);
  }
  const controllers = join(V2_ROOT, "cgroup.controllers");
  if (existsSync(controllers) && readFileSync(controllers, "utf8").split(/\s+/).includes("cpu")) {
    const v2 = attempt("cgroup v2", V2_ROOT, (dir, quotaUs) => writeFileSync(join(dir, "cpu.max"), `${quotaUs} ${PERIOD_US}`));
    if (typeof v2 !== "string") return v2;
    reasons.push(v2);
  }
  if (reasons.length === 0) reasons.push(`no cgroup CPU controller at ${V1_ROOT} or ${V2_ROOT}`);
  return { unavailable: `a CPU share needs a writable cgroup CPU controller: ${reasons.join("; ")}` };
}

/** The command that starts `command` inside a share: a shell that joins the group, then becomes the command. */
export function inShare(share: CpuShare | undefined, command: string, args: readonly string[]): { command: string; args: string[] } {
  if (share === undefined) return { command, args: [...args] };
  return { command: "/bin/sh", args: ["-c", 'echo $$ > "$0" && exec "$@"', share.procsFile, command, ...args] };
}
