/**
 * variables — a job's variables as the agent holds them (names without regard to case, secret and
 * read-only flags), macro expansion `$(name)`, and their rendering into a task's environment:
 * public ones as NAME_WITH_UNDERSCORES, secret ones as SECRET_<NAME>, plus the two name lists
 * task-lib reads.
 */

export interface Variable {
  name: string;
  value: string;
  secret: boolean;
  readonly: boolean;
}

export class VariableSet {
  private readonly items = new Map<string, Variable>();

  constructor(from?: VariableSet) {
    if (from) for (const [k, v] of from.items) this.items.set(k, { ...v });
  }

  get(name: string): Variable | undefined {
    return this.items.get(name.toLowerCase());
  }

  value(name: string): string | undefined {
    return this.get(name)?.value;
  }

  /** false when a read-only variable of that name exists (the value is kept). */
  set(name: string, value: string, options: { secret?: boolean; readonly?: boolean } = {}): boolean {
    const existing = this.get(name);
    if (existing?.readonly) return false;
    this.items.set(name.toLowerCase(), {
      name: existing?.name ?? name,
      value,
      secret: options.secret ?? existing?.secret ?? false,
      readonly: options.readonly ?? false,
    });
    return true;
  }

  all(): Variable[] {
    return [...this.items.values()];
  }

  /** Record of name → value for expressions (`variables['x']`), secrets included as the service does. */
  asObject(): Record<string, string> {
    return Object.fromEntries(this.all().map((v) => [v.name, v.value]));
  }

  /** Replaces `$(name)` with the variable's value; unknown names stay as written, as the agent leaves them. */
  expand(text: string): string {
    return text.replace(/\$\(([A-Za-z0-9_.\- ]+)\)/g, (whole: string, name: string) => this.value(name) ?? whole);
  }
}

export function envName(name: string): string {
  return name.replace(/[. ]/g, "_").toUpperCase();
}

/** The variables as a task process receives them. */
export function variablesEnv(variables: VariableSet): Record<string, string> {
  const env: Record<string, string> = {};
  const publicNames: string[] = [];
  const secretNames: string[] = [];
  for (const v of variables.all()) {
    if (v.secret) {
      env[`SECRET_${envName(v.name)}`] = v.value;
      secretNames.push(v.name);
    } else {
      env[envName(v.name)] = v.value;
      publicNames.push(v.name);
    }
  }
  env.VSTS_PUBLIC_VARIABLES = JSON.stringify(publicNames);
  env.VSTS_SECRET_VARIABLES = JSON.stringify(secretNames);
  return env;
}
