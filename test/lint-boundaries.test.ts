/** The lint rules that keep the layers one-way really refuse what they should (eslint.config.mjs). */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint();
const rulesBroken = async (filePath: string, code: string) => (await eslint.lintText(code, { filePath }))[0]!.messages.map((m) => m.ruleId);

describe("lint boundaries", { timeout: 60_000 }, () => {
  it("lint - a lib/ module importing server/, components/ or app/ is an error", async () => {
    expect(await rulesBroken("lib/probe.ts", 'import { getRuntime } from "../server/runtime";\nexport const x = getRuntime;\n')).toContain(
      "no-restricted-imports",
    );
    expect(await rulesBroken("lib/probe.ts", 'import { Nav } from "@/components/shell/nav";\nexport const x = Nav;\n')).toContain(
      "no-restricted-imports",
    );
    expect(await rulesBroken("lib/probe.ts", 'import { formatCount } from "./format";\nexport const x = formatCount;\n')).toEqual([]);
  });

  it("lint - a component opens connections only in a use-*.ts hook", async () => {
    const code = 'export function probe() {\n  return fetch("/api/health");\n}\n';
    expect(await rulesBroken("components/ui/probe.tsx", code)).toContain("no-restricted-globals");
    expect(await rulesBroken("components/ui/use-probe.ts", code)).toEqual([]);
  });

  it("lint - benches and tests share helpers through testing/, never each other's files", async () => {
    const importing = (from: string) => `import { helper } from "${from}";\nexport const x = helper;\n`;
    expect(await rulesBroken("bench/probe.ts", importing("../e2e/support/read-count"))).toContain("no-restricted-imports");
    expect(await rulesBroken("bench/probe.ts", importing("../server/hub/hub.test"))).toContain("no-restricted-imports");
    expect(await rulesBroken("server/hub/probe.test.ts", importing("../../bench/support/gc-time"))).toContain("no-restricted-imports");
    expect(await rulesBroken("e2e/probe.spec.ts", importing("../bench/support/gc-time"))).toContain("no-restricted-imports");
    expect(await rulesBroken("testing/probe.ts", importing("../bench/support/gc-time"))).toContain("no-restricted-imports");
    expect(await rulesBroken("bench/probe.ts", importing("../testing/probes/proc-stats"))).toEqual([]);
    expect(await rulesBroken("server/hub/probe.test.ts", importing("../../testing/wait-for"))).toEqual([]);
  });
});
