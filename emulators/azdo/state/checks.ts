/**
 * checks — check configurations on protected resources (an environment's Approval and Exclusive
 * lock checks) and the exclusive locks runs take on an environment: one holder at a time, later
 * runs wait in order ("sequential") or only the newest waits and older waiting runs are canceled
 * ("runLatest"). Nothing here speaks HTTP.
 */
import type { Build } from "./builds";
import type { ExecutionOrder, IdentityRef } from "./approvals";

export const approvalCheckType = { id: "8c6f20a7-a545-4486-9777-f762fafe0d4d", name: "Approval" };
export const exclusiveLockCheckType = { id: "2ef31ad6-baa0-403a-8b45-2cbc9b4e5563", name: "ExclusiveLock" };
export const knownCheckTypes = [approvalCheckType, exclusiveLockCheckType];

export interface ApprovalSettings {
  approvers: IdentityRef[];
  executionOrder: ExecutionOrder;
  minRequiredApprovers: number;
  instructions: string;
  blockedApprovers: IdentityRef[];
}

export interface CheckConfiguration {
  id: number;
  version: number;
  projectId: string;
  type: { id: string; name: string };
  resource: { type: string; id: string; name?: string };
  settings: Record<string, unknown>;
  /** Minutes. */
  timeout: number;
  isDisabled: boolean;
  createdBy: IdentityRef;
  createdOn: string;
  modifiedBy: IdentityRef;
  modifiedOn: string;
}

/** What a run must pass before a job targets the environment. */
export interface EnvironmentChecks {
  approval?: ApprovalSettings & { timeoutMinutes: number };
  exclusiveLock: boolean;
}

export class CheckState {
  readonly list: CheckConfiguration[] = [];
  private nextId = 1;

  add(init: Omit<CheckConfiguration, "id" | "version" | "createdOn" | "modifiedOn" | "modifiedBy">, now: number) {
    const at = new Date(now).toISOString();
    const check: CheckConfiguration = {
      ...init,
      id: this.nextId++,
      version: 1,
      createdOn: at,
      modifiedOn: at,
      modifiedBy: init.createdBy,
    };
    this.list.push(check);
    return check;
  }

  find(projectId: string, id: string | number): CheckConfiguration | undefined {
    return this.list.find((c) => c.projectId === projectId && String(c.id) === String(id));
  }

  update(
    check: CheckConfiguration,
    change: Partial<Pick<CheckConfiguration, "settings" | "timeout" | "isDisabled">>,
    by: IdentityRef,
    now: number,
  ): void {
    Object.assign(check, change);
    check.version++;
    check.modifiedBy = by;
    check.modifiedOn = new Date(now).toISOString();
  }

  remove(check: CheckConfiguration): void {
    this.list.splice(this.list.indexOf(check), 1);
  }

  /** The checks on a resource ("environment", "42"); all of the project's when no resource is given. */
  on(projectId: string, resourceType?: string, resourceId?: string): CheckConfiguration[] {
    return this.list.filter(
      (c) =>
        c.projectId === projectId &&
        (!resourceType || c.resource.type.toLowerCase() === resourceType.toLowerCase()) &&
        (!resourceId || c.resource.id.toLowerCase() === resourceId.toLowerCase()),
    );
  }

  /** The enabled checks on an environment, as the runner applies them. */
  checksFor(environment: { id: number; projectId: string }): EnvironmentChecks {
    const enabled = this.on(environment.projectId, "environment", String(environment.id)).filter((c) => !c.isDisabled);
    const approval = enabled.find((c) => c.type.id.toLowerCase() === approvalCheckType.id);
    const s = (approval?.settings ?? {}) as Partial<ApprovalSettings>;
    return {
      approval: approval && {
        approvers: s.approvers ?? [],
        executionOrder: s.executionOrder ?? "anyOrder",
        minRequiredApprovers: s.minRequiredApprovers ?? 0,
        instructions: s.instructions ?? "",
        blockedApprovers: s.blockedApprovers ?? [],
        timeoutMinutes: approval.timeout,
      },
      exclusiveLock: enabled.some((c) => c.type.id.toLowerCase() === exclusiveLockCheckType.id),
    };
  }
}

export type LockBehavior = "sequential" | "runLatest";
export type LockOutcome = "granted" | "canceled";

/** A run's place at an environment's lock: `settled` resolves when it holds the lock or was superseded. */
export interface LockTicket {
  build: Build;
  state: "granted" | "waiting" | "canceled";
  settled: Promise<LockOutcome>;
}

interface Waiter {
  ticket: LockTicket;
  resolve: (o: LockOutcome) => void;
}

export class ExclusiveLocks {
  private readonly holders = new Map<number, Waiter>();
  private readonly queues = new Map<number, Waiter[]>();

  /** `onSuperseded` hears the runs a newer run displaced under runLatest (the runner cancels them). */
  constructor(public onSuperseded: (build: Build, environmentId: number) => void = () => undefined) {}

  /** Takes the environment's lock now, or waits behind its holder. */
  acquire(environmentId: number, build: Build, lockBehavior: LockBehavior): LockTicket {
    let resolve!: (o: LockOutcome) => void;
    const ticket: LockTicket = {
      build,
      state: "waiting",
      settled: new Promise<LockOutcome>((r) => (resolve = r)),
    };
    const waiter = { ticket, resolve };
    if (!this.holders.has(environmentId)) {
      this.grant(environmentId, waiter);
      return ticket;
    }
    const queue = this.queues.get(environmentId) ?? [];
    if (lockBehavior === "runLatest") {
      for (const older of queue.splice(0)) {
        older.ticket.state = "canceled";
        older.resolve("canceled");
        this.onSuperseded(older.ticket.build, environmentId);
      }
    }
    queue.push(waiter);
    this.queues.set(environmentId, queue);
    return ticket;
  }

  /** The build is done with the environment (or gave up waiting); the next waiting run, if any, holds it now. */
  release(environmentId: number, build: Build): Build | undefined {
    const queue = this.queues.get(environmentId) ?? [];
    const waiting = queue.findIndex((w) => w.ticket.build.id === build.id);
    if (waiting >= 0) {
      const [w] = queue.splice(waiting, 1);
      w.ticket.state = "canceled";
      w.resolve("canceled");
      return undefined;
    }
    if (this.holders.get(environmentId)?.ticket.build.id !== build.id) return undefined;
    this.holders.delete(environmentId);
    const next = queue.shift();
    if (next) this.grant(environmentId, next);
    return next?.ticket.build;
  }

  holder(environmentId: number): Build | undefined {
    return this.holders.get(environmentId)?.ticket.build;
  }

  waiting(environmentId: number): Build[] {
    return (this.queues.get(environmentId) ?? []).map((w) => w.ticket.build);
  }

  private grant(environmentId: number, waiter: Waiter): void {
    this.holders.set(environmentId, waiter);
    waiter.ticket.state = "granted";
    waiter.resolve("granted");
  }
}
