// Lint: typescript-eslint and React's rules of hooks, plus the import boundaries that keep the layers one-way
// (docs/architecture.md): lib/ is pure, components/ never reach into the server, only hooks open connections.
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const outsideLib = ["server", "components", "app"].flatMap((dir) => [`@/${dir}/*`, `**/${dir}/*`]);
/** Tests and benches share helpers through testing/ only: neither imports the other's files. */
const fromBench = { group: ["**/bench/*"], message: "tests and testing/ import shared helpers from testing/, never from bench/" };
const fromTests = {
  group: ["**/e2e/*", "**/*.test", "**/*.spec", "**/*.int.test"],
  message: "benches and testing/ import shared helpers from testing/, never from e2e/ or a test file",
};
/** Network access a component makes only through a use-*.ts hook. */
const network = ["fetch", "EventSource", "WebSocket", "XMLHttpRequest"].map((name) => ({
  name,
  message: "components/ open network connections only in use-*.ts hooks",
}));

export default tseslint.config(
  { ignores: ["node_modules/", ".next*/", "test-results/", "playwright-report/", "next-env.d.ts", "scripts/empty-module.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Control characters are what the snapshot and note validators exist to refuse.
      "no-control-regex": "off",
    },
  },
  { files: ["**/*.mjs", "**/*.cjs"], languageOptions: { globals: globals.node } },
  { files: ["**/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  {
    files: ["lib/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: outsideLib, message: "lib/ is pure domain logic: it imports nothing of server/, components/ or app/" },
            fromBench,
          ],
        },
      ],
    },
  },
  {
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/server/*", "**/server/*"], message: "components/ render; they reach the server through hooks and the API" },
          ],
        },
      ],
    },
  },
  {
    files: ["components/**"],
    // The hooks, and the one fetch helper they share.
    ignores: ["components/**/use-*.ts", "components/**/use-*.tsx", "components/ui/api-response.ts"],
    rules: { "no-restricted-globals": ["error", ...network] },
  },
  { files: ["bench/**"], rules: { "no-restricted-imports": ["error", { patterns: [fromTests] }] } },
  { files: ["testing/**"], rules: { "no-restricted-imports": ["error", { patterns: [fromBench, fromTests] }] } },
  {
    files: ["**/*.test.ts", "**/*.spec.ts", "e2e/**"],
    ignores: ["lib/**", "components/**", "bench/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [fromBench] }] },
  },
);
