/**
 * app — TEMPORARY stand-in for the hub's views, on the hub-host branch only, so the page's entry and
 * the browser tests of the host run before the real views are merged (drop it then): the tenants'
 * names in an azure-devops-ui card, which exercises the bundle's CSS and icon fonts.
 */
import * as React from "react";
import { Button } from "azure-devops-ui/Button";
import { Card } from "azure-devops-ui/Card";
import { Header } from "azure-devops-ui/Header";
import type { HubActions, Overview, TenantDetail } from "../data/model";

export interface AppProps {
  overview: Overview;
  loadDetail(tenant: string): Promise<TenantDetail>;
  actions: HubActions;
  now: () => number;
}

export function App({ overview, actions }: AppProps): React.ReactElement {
  return (
    <div className="flex-column">
      <Header title="Tenant Sync" />
      <Card>
        <ul>
          {overview.rows.map((row) => (
            <li key={row.tenant}>{row.tenant}</li>
          ))}
        </ul>
        <Button text="Refresh" iconProps={{ iconName: "Refresh" }} onClick={() => void actions.refresh()} />
      </Card>
    </div>
  );
}
