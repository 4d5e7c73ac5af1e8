/**
 * app — the hub's page: the overview, and under it the detail of the tenant a person opened (loaded
 * on demand, reloaded after each refresh), with the messages of actions that failed and the busy
 * state of those in flight. It ticks a clock once a second for countdowns and relative times, and
 * asks for a refresh on its own while anything runs or waits. Everything else comes in as props.
 */
import * as React from "react";
import { Card } from "azure-devops-ui/Card";
import { Header, TitleSize } from "azure-devops-ui/Header";
import { MessageCard, MessageCardSeverity } from "azure-devops-ui/MessageCard";
import { Page } from "azure-devops-ui/Page";
import type { HubActions, Overview as OverviewData, TenantDetail } from "../data/model";
import { type Act, ActContext } from "./act";
import { Overview } from "./overview";
import { TenantDetailView } from "./tenant-detail";

export interface HubAppProps {
  overview: OverviewData;
  loadDetail(tenant: string): Promise<TenantDetail>;
  actions: HubActions;
  /** The clock (epoch ms); injected so tests and screenshots are deterministic. */
  now(): number;
  /** How often to refresh while anything runs or waits; 0 turns it off. Default 10 s. */
  refreshEveryMs?: number;
  /** The tenant whose detail is open at first (a link, a test). */
  initialTenant?: string;
  /** The detail already loaded for initialTenant (server-side rendering in tests). */
  initialDetail?: TenantDetail;
  /** Messages already shown (tests). */
  initialMessages?: string[];
}

export function HubApp(props: HubAppProps) {
  const [now, setNow] = React.useState(() => props.now());
  const [open, setOpen] = React.useState<string | undefined>(props.initialTenant);
  const [detail, setDetail] = React.useState<TenantDetail | undefined>(props.initialDetail);
  const [messages, setMessages] = React.useState<{ id: number; text: string }[]>(() =>
    (props.initialMessages ?? []).map((text, id) => ({ id, text })),
  );
  const [busy, setBusy] = React.useState<ReadonlySet<string>>(new Set());
  const nextId = React.useRef(messages.length);
  const latest = React.useRef(props);
  latest.current = props;

  const say = React.useCallback((text: string) => setMessages((m) => [...m, { id: nextId.current++, text }]), []);

  React.useEffect(() => {
    const timer = setInterval(() => setNow(latest.current.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const every = props.refreshEveryMs ?? 10_000;
  React.useEffect(() => {
    if (!props.overview.isActive || every <= 0) return;
    const timer = setTimeout(() => {
      latest.current.actions.refresh().catch((e: unknown) => say(`Refresh: ${messageOf(e)}`));
    }, every);
    return () => clearTimeout(timer);
  }, [props.overview, every, say]);

  // The open tenant's detail follows each refresh. An answer is shown unless a newer one for the same
  // tenant already is: waiting for the latest only would show nothing while loads outlast refreshes.
  const asked = React.useRef(0);
  const shown = React.useRef({ tenant: "", ticket: 0 });
  const openRef = React.useRef(open);
  openRef.current = open;
  React.useEffect(() => {
    if (!open) return;
    const ticket = ++asked.current;
    const current = () => openRef.current === open && !(shown.current.tenant === open && shown.current.ticket > ticket);
    latest.current
      .loadDetail(open)
      .then((d) => {
        if (!current()) return;
        shown.current = { tenant: open, ticket };
        setDetail(d);
      })
      .catch((e: unknown) => current() && say(`Loading ${open}'s detail: ${messageOf(e)}`));
  }, [open, props.overview.refreshedAt, say]);

  const act: Act = React.useMemo(
    () => ({
      busy,
      run(key, label, work) {
        setBusy((b) => new Set(b).add(key));
        work()
          .catch((e: unknown) => say(`${label}: ${messageOf(e)}`))
          .finally(() =>
            setBusy((b) => {
              const next = new Set(b);
              next.delete(key);
              return next;
            }),
          );
      },
    }),
    [busy, say],
  );

  const row = open ? props.overview.rows.find((r) => r.tenant === open) : undefined;
  const openTenant = (tenant: string) => {
    if (tenant === open) return;
    setDetail(undefined);
    setOpen(tenant);
  };

  return (
    <ActContext.Provider value={act}>
      <Page className="tenant-sync-hub flex-grow">
        <Header
          title="Tenant Sync"
          titleSize={TitleSize.Large}
          description="Every tenant's sync status and what it needs next."
        />
        <div className="page-content page-content-top flex-column rhythm-vertical-16">
          {messages.length > 0 && (
            // Each MessageCard is an alert of its own: the list around them is not, or it would be read twice.
            <div aria-label="Messages" className="flex-column rhythm-vertical-8">
              {messages.map((m) => (
                <MessageCard
                  key={m.id}
                  severity={MessageCardSeverity.Error}
                  onDismiss={() => setMessages((all) => all.filter((x) => x.id !== m.id))}
                >
                  {m.text}
                </MessageCard>
              ))}
            </div>
          )}
          <Overview overview={props.overview} now={now} actions={props.actions} onOpen={openTenant} openTenant={open} />
          {row && (
            <Card className="tenant-sync-detail-card">
              <TenantDetailView
                row={row}
                detail={detail?.tenant === row.tenant ? detail : undefined}
                now={now}
                actions={props.actions}
                onClose={() => setOpen(undefined)}
              />
            </Card>
          )}
        </div>
      </Page>
    </ActContext.Provider>
  );
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
