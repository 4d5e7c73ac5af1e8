/**
 * task-scenario — the runner side of the task tests (tasks/<name>/test/<scenario>.run.ts): the
 * values a test hands its scenario (emulator URLs, credentials, folders) arrive in one environment
 * variable, and a scenario that hangs ends itself, because MockTestRunner waits for it with spawnSync
 * and no timeout.
 */
export const scenarioVariable = "TENANT_SYNC_TEST_SCENARIO";

/** Values the test passed to runTaskScenario(). */
export function scenarioValues(): Record<string, string> {
  const raw = process.env[scenarioVariable];
  return raw ? (JSON.parse(raw) as Record<string, string>) : {};
}

/** Ends the scenario after `ms` if the task has not ended by itself (the timer never keeps it alive). */
export function stopIfHung(ms = 120_000): void {
  setTimeout(() => {
    process.stderr.write(`scenario still running after ${ms} ms: stopped\n`);
    process.exit(70);
  }, ms).unref();
}

/** Inputs that sign in to the Graph emulator with its app's client secret. */
export function emulatorSignIn(v: Record<string, string>): Record<string, string> {
  return {
    authentication: "clientSecret",
    tenantId: v.tenantId,
    clientId: v.clientId,
    clientSecret: v.clientSecret,
    authorityHost: v.authorityHost,
    graphUrl: v.graphUrl,
  };
}

/**
 * Sets the environment the agent gives a task in a pipeline run: the job's variables (as the Azure
 * DevOps emulator's POST /_emulator/builds returns them) and an Azure Resource Manager service
 * connection using workload identity federation. Call before TaskMockRunner.run().
 */
export function agentEnvironment(
  agentVariables: Record<string, string>,
  connection?: { id: string; tenantId: string; clientId: string },
): void {
  for (const [name, value] of Object.entries(agentVariables)) process.env[name] = value;
  if (!connection) return;
  const { id, tenantId, clientId } = connection;
  process.env[`ENDPOINT_URL_${id}`] = "https://management.azure.com/";
  process.env[`ENDPOINT_AUTH_${id}`] = JSON.stringify({
    parameters: { tenantid: tenantId, serviceprincipalid: clientId },
    scheme: "WorkloadIdentityFederation",
  });
  process.env[`ENDPOINT_AUTH_SCHEME_${id}`] = "WorkloadIdentityFederation";
  process.env[`ENDPOINT_AUTH_PARAMETER_${id}_TENANTID`] = tenantId;
  process.env[`ENDPOINT_AUTH_PARAMETER_${id}_SERVICEPRINCIPALID`] = clientId;
  process.env[`ENDPOINT_DATA_${id}_ENVIRONMENT`] = "AzureCloud";
}

/**
 * Plays the person at the other end of a device-code sign-in: completes the first sign-in the Graph
 * emulator sees pending (through its control API), then stops watching.
 */
export function completeDeviceCodeSignIn(controlUrl: string): void {
  const timer = setInterval(() => {
    void (async () => {
      const pending = (
        (await (await fetch(`${controlUrl}/devicecodes`)).json()) as { userCode: string; state: string }[]
      ).find((d) => d.state === "pending");
      if (!pending) return;
      clearInterval(timer);
      await fetch(`${controlUrl}/devicecodes/${pending.userCode}/complete`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
    })();
  }, 200);
}
