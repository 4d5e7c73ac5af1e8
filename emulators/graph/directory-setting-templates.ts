/**
 * directory-setting-templates — the directory setting templates every tenant has that a tenant-wide
 * group setting can be made from, with their values' names and defaults (as directorySettingTemplates
 * lists them). Data only: the groupSettings routes check writes against it and the seeds build from it.
 */
// Group.Unified.Guest applies to one group, not the tenant, so it is not here.
export const groupSettingTemplates: Record<string, { displayName: string; values: Record<string, string> }> = {
  "62375ab9-6b52-47ed-826b-58e47e0e304b": {
    displayName: "Group.Unified",
    values: {
      NewUnifiedGroupWritebackDefault: "true",
      EnableMIPLabels: "false",
      CustomBlockedWordsList: "",
      EnableMSStandardBlockedWords: "false",
      ClassificationDescriptions: "",
      DefaultClassification: "",
      PrefixSuffixNamingRequirement: "",
      AllowGuestsToBeGroupOwner: "false",
      AllowGuestsToAccessGroups: "true",
      GuestUsageGuidelinesUrl: "",
      GroupCreationAllowedGroupId: "",
      AllowToAddGuests: "true",
      UsageGuidelinesUrl: "",
      ClassificationList: "",
      EnableGroupCreation: "true",
    },
  },
  "5cf42378-d67d-4f36-ba46-e8b86229381d": {
    displayName: "Password Rule Settings",
    values: {
      BannedPasswordCheckOnPremisesMode: "Audit",
      EnableBannedPasswordCheckOnPremises: "True",
      EnableBannedPasswordCheck: "True",
      LockoutDurationInSeconds: "60",
      LockoutThreshold: "10",
      BannedPasswordList: "",
    },
  },
};
