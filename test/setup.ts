/**
 * setup — root hooks for every test run: the emulator CA must already be trusted by this process
 * (scripts/test.ts starts mocha with NODE_EXTRA_CA_CERTS), or HTTPS to the emulators fails; and
 * MockTestRunner (the task tests) must find its Node copies offline, so HOME moves to a temporary
 * folder where they are pre-seeded (otherwise it downloads Node builds).
 */
import { seedMockRunnerNode } from "./helpers/mock-runner-offline";

if (!process.env.NODE_EXTRA_CA_CERTS || !process.env.TENANT_SYNC_CA_DIR) {
  throw new Error(
    "Run the tests with `npm test`: it trusts the local emulator CA (NODE_EXTRA_CA_CERTS) before mocha starts.",
  );
}

seedMockRunnerNode();
