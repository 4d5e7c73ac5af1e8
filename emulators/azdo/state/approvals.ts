/**
 * approvals — the approvals a run waits on at an environment's Approval check: who is assigned, in
 * which order they may act, how many must approve, and when the approval times out on the
 * emulator's clock. The local runner creates them and awaits `decided(id)`; the REST routes list
 * them and record each approver's decision. Nothing here speaks HTTP.
 */
import { randomUUID } from "node:crypto";
import type { Build } from "./builds";
import type { AccessToken } from "./tokens";

export type ApprovalStatus = "pending" | "approved" | "rejected" | "canceled" | "timedOut" | "skipped";
export type ApprovalDecision = "approved" | "rejected" | "timedOut" | "canceled";
export type ExecutionOrder = "anyOrder" | "inSequence";

/** An identity as the service renders it (IdentityRef). */
export interface IdentityRef {
  id: string;
  displayName: string;
  uniqueName?: string;
  descriptor?: string;
}

export interface ApprovalStep {
  assignedApprover: IdentityRef;
  actualApprover?: IdentityRef;
  status: ApprovalStatus;
  comment?: string;
  initiatedOn?: string;
  lastModifiedOn: string;
  order: number;
}

export interface Approval {
  /** A GUID; also the id of the run's Checkpoint.Approval timeline record. */
  id: string;
  projectId: string;
  buildId: number;
  buildNumber: string;
  definitionId: number;
  stageRecordId?: string;
  checkpointRecordId?: string;
  environment?: { id: number; name: string };
  status: ApprovalStatus;
  createdOn: string;
  lastModifiedOn: string;
  executionOrder: ExecutionOrder;
  /** 0 or more than the steps: every assigned approver must approve. */
  minRequiredApprovers: number;
  instructions: string;
  blockedApprovers: IdentityRef[];
  timeoutMinutes: number;
  /** Epoch ms at which a pending approval times out. */
  expiresAt: number;
  steps: ApprovalStep[];
}

export interface CreateApprovalRequest {
  build: Build;
  /** The approval's id (the Checkpoint.Approval record id); a new GUID when omitted. */
  id?: string;
  stageRecordId?: string;
  checkpointRecordId?: string;
  environment?: { id: number; name: string };
  approvers: IdentityRef[];
  minRequiredApprovers?: number;
  executionOrder?: ExecutionOrder;
  instructions?: string;
  blockedApprovers?: IdentityRef[];
  /** The check's timeout; the service's default is 30 days (43200 minutes). */
  timeoutMinutes?: number;
}

/** Why an approver's decision was refused (the route answers the service's error). */
export type DecisionRefusal = "notFound" | "notApprover" | "completed" | "outOfSequence";

/** The identity a token speaks for, as approvals record it. */
export function identityOf(caller: AccessToken): IdentityRef {
  if (caller.kind === "user")
    return { id: caller.id, displayName: caller.name, uniqueName: caller.uniqueName, descriptor: `aad.${caller.id}` };
  return {
    id: `Build\\${caller.projectId}`,
    displayName: "Project Collection Build Service",
    uniqueName: `Build\\${caller.projectId}`,
  };
}

function sameIdentity(a: IdentityRef, b: IdentityRef): boolean {
  const eq = (x?: string, y?: string) => !!x && !!y && x.toLowerCase() === y.toLowerCase();
  return eq(a.id, b.id) || eq(a.uniqueName, b.uniqueName);
}

export class ApprovalState {
  /**
   * Whether `caller` belongs to the group `groupId` (the organisation's identities): a member may
   * decide a group's step. Without it, only the assigned identity itself may.
   */
  memberOf: (groupId: string, caller: IdentityRef) => boolean = () => false;

  /** Whether `caller` may act for the step's assigned approver: that identity, or a member of that group. */
  actsFor(assigned: IdentityRef, caller: IdentityRef): boolean {
    return sameIdentity(assigned, caller) || this.memberOf(assigned.id, caller);
  }

  readonly list: Approval[] = [];
  private readonly waiters = new Map<string, ((d: ApprovalDecision) => void)[]>();

  /** A pending approval for the run; its steps are the approvers in the given order. */
  create(request: CreateApprovalRequest, now: number): Approval {
    const at = new Date(now).toISOString();
    const timeoutMinutes = request.timeoutMinutes ?? 43200;
    const executionOrder = request.executionOrder ?? "anyOrder";
    const approval: Approval = {
      id: request.id ?? randomUUID(),
      projectId: request.build.projectId,
      buildId: request.build.id,
      buildNumber: request.build.buildNumber,
      definitionId: request.build.definitionId,
      stageRecordId: request.stageRecordId,
      checkpointRecordId: request.checkpointRecordId,
      environment: request.environment,
      status: "pending",
      createdOn: at,
      lastModifiedOn: at,
      executionOrder,
      minRequiredApprovers: request.minRequiredApprovers ?? 0,
      instructions: request.instructions ?? "",
      blockedApprovers: request.blockedApprovers ?? [],
      timeoutMinutes,
      expiresAt: now + timeoutMinutes * 60_000,
      steps: request.approvers.map((a, i) => ({
        assignedApprover: a,
        status: "pending",
        // In sequence, only the first approver is asked at first; the others wait their turn.
        initiatedOn: executionOrder === "inSequence" && i > 0 ? undefined : at,
        lastModifiedOn: at,
        order: i + 1,
      })),
    };
    this.list.push(approval);
    return approval;
  }

  find(id: string): Approval | undefined {
    return this.list.find((a) => a.id.toLowerCase() === id.toLowerCase());
  }

  /** Resolves once the approval leaves pending (at once when it already has). */
  decided(id: string): Promise<ApprovalDecision> {
    const approval = this.find(id);
    if (!approval) return Promise.reject(new Error(`No approval ${id}.`));
    if (approval.status !== "pending") return Promise.resolve(approval.status as ApprovalDecision);
    return new Promise((resolve) => this.waiters.set(approval.id, [...(this.waiters.get(approval.id) ?? []), resolve]));
  }

  /**
   * Records one approver's decision. Any rejection rejects the approval; it is approved once the
   * required number of steps are approved (all of them when minRequiredApprovers is 0).
   */
  decide(
    id: string,
    caller: IdentityRef,
    status: "approved" | "rejected",
    comment: string | undefined,
    now: number,
  ): Approval | { refused: DecisionRefusal } {
    this.tick(now);
    const approval = this.find(id);
    if (!approval) return { refused: "notFound" };
    if (approval.status !== "pending") return { refused: "completed" };
    if (approval.blockedApprovers.some((b) => sameIdentity(b, caller))) return { refused: "notApprover" };
    const step = approval.steps.find((s) => s.status === "pending" && this.actsFor(s.assignedApprover, caller));
    if (!step) return { refused: "notApprover" };
    const pendingOrders = approval.steps.filter((s) => s.status === "pending").map((s) => s.order);
    if (approval.executionOrder === "inSequence" && step.order !== Math.min(...pendingOrders))
      return { refused: "outOfSequence" };
    const at = new Date(now).toISOString();
    Object.assign(step, { status, actualApprover: caller, comment: comment ?? "", lastModifiedOn: at });
    approval.lastModifiedOn = at;
    const next = approval.steps.find((s) => s.status === "pending");
    if (approval.executionOrder === "inSequence" && next && !next.initiatedOn) next.initiatedOn = at;
    const approvedCount = approval.steps.filter((s) => s.status === "approved").length;
    const required =
      approval.minRequiredApprovers > 0 && approval.minRequiredApprovers <= approval.steps.length
        ? approval.minRequiredApprovers
        : approval.steps.length;
    if (status === "rejected") this.finish(approval, "rejected", now);
    else if (approvedCount >= required) this.finish(approval, "approved", now);
    return approval;
  }

  /** The run was canceled (or its stage skipped) while the approval was pending. */
  cancel(id: string, now: number): void {
    const approval = this.find(id);
    if (approval?.status === "pending") this.finish(approval, "canceled", now);
  }

  /** Times out the pending approvals whose time is up; called as the emulator's clock moves and on every read. */
  tick(now: number): void {
    for (const approval of this.list)
      if (approval.status === "pending" && now >= approval.expiresAt) this.finish(approval, "timedOut", now);
  }

  private finish(approval: Approval, status: ApprovalDecision, now: number): void {
    const at = new Date(now).toISOString();
    approval.status = status;
    approval.lastModifiedOn = at;
    // Steps nobody acted on end with the approval (skipped when the others decided it).
    for (const s of approval.steps)
      if (s.status === "pending") {
        s.status = status === "approved" || status === "rejected" ? "skipped" : status;
        s.lastModifiedOn = at;
      }
    const waiters = this.waiters.get(approval.id) ?? [];
    this.waiters.delete(approval.id);
    for (const w of waiters) w(status);
  }
}
