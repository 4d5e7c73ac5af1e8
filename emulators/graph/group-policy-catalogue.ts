/**
 * group-policy-catalogue — a few built-in administrative template (ADMX) definitions with their
 * presentations, the global catalogue group policy configurations bind to. Ids are fixed, as the
 * service's built-in definition ids are the same in every tenant.
 */
export interface GroupPolicyDefinition {
  id: string;
  displayName: string;
  classType: "user" | "machine";
  categoryPath: string;
  policyType: "admxBacked";
  supportedOn: string;
  presentations: Record<string, unknown>[];
}

export const groupPolicyDefinitions: GroupPolicyDefinition[] = [
  {
    id: "0a6c2f1e-35bd-4b3c-9f3e-8c1b2a7d0001",
    displayName: "Turn off Autoplay",
    classType: "machine",
    categoryPath: "\\Windows Components\\AutoPlay Policies",
    policyType: "admxBacked",
    supportedOn: "At least Windows 2000",
    presentations: [
      {
        "@odata.type": "#microsoft.graph.groupPolicyPresentationDropdownList",
        id: "5f1d7c2a-6b7e-4d8f-9a0b-1c2d3e4f0001",
        label: "Turn off Autoplay on:",
        required: true,
      },
    ],
  },
  {
    id: "0a6c2f1e-35bd-4b3c-9f3e-8c1b2a7d0002",
    displayName: "Prevent access to the command prompt",
    classType: "user",
    categoryPath: "\\System",
    policyType: "admxBacked",
    supportedOn: "At least Windows 2000",
    presentations: [
      {
        "@odata.type": "#microsoft.graph.groupPolicyPresentationDropdownList",
        id: "5f1d7c2a-6b7e-4d8f-9a0b-1c2d3e4f0002",
        label: "Disable the command prompt script processing also?",
        required: true,
      },
    ],
  },
  {
    id: "0a6c2f1e-35bd-4b3c-9f3e-8c1b2a7d0003",
    displayName: "Set the default search provider",
    classType: "machine",
    categoryPath: "\\Microsoft Edge\\Default search provider",
    policyType: "admxBacked",
    supportedOn: "Microsoft Edge version 77",
    presentations: [
      {
        "@odata.type": "#microsoft.graph.groupPolicyPresentationTextBox",
        id: "5f1d7c2a-6b7e-4d8f-9a0b-1c2d3e4f0003",
        label: "Default search provider URL",
        required: true,
        maxLength: 1023,
      },
    ],
  },
  {
    id: "0a6c2f1e-35bd-4b3c-9f3e-8c1b2a7d0004",
    displayName: "Do not display the lock screen",
    classType: "machine",
    categoryPath: "\\Control Panel\\Personalization",
    policyType: "admxBacked",
    supportedOn: "At least Windows Server 2012, Windows 8 or Windows RT",
    presentations: [],
  },
];
