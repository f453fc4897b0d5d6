// ESLint (flat config): typescript-eslint's recommended rules, import cycles, and the layer rules of the
// README's layout section. Formatting is Prettier's (eslint-config-prettier turns off the rules it owns).
"use strict";
const tseslint = require("typescript-eslint");
const importX = require("eslint-plugin-import-x");
const { createTypeScriptImportResolver } = require("eslint-import-resolver-typescript");
const prettier = require("eslint-config-prettier");

/** `no-restricted-imports` patterns: what a folder may not import. */
const restrict = (...groups) => ({ "no-restricted-imports": ["error", { patterns: groups }] });
const OFFLINE_INTERNALS = {
    group: ["**/offline/*", "!**/offline/index"],
    message: "import the offline toolchain from its entry point (offline/index.ts)",
};
const PACK_BY_PATH = {
    group: ["**/policy-pack/*", "**/policy-pack"],
    message: "import the policy pack by package name (idfed-policy-pack/...)",
};

module.exports = tseslint.config(
    { ignores: ["**/node_modules/**", "**/*.d.ts", "policy-pack/data/**"] },
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        plugins: { "import-x": importX },
        settings: {
            ...importX.flatConfigs.typescript.settings,
            "import-x/resolver-next": [
                createTypeScriptImportResolver({ project: ["tsconfig.json", "policy-pack/tsconfig.json"], noWarnOnMultipleProjects: true }),
            ],
        },
        linterOptions: { reportUnusedDisableDirectives: "error" },
        rules: {
            "import-x/no-cycle": ["error", { ignoreExternal: true }],
            "no-duplicate-imports": ["error", { allowSeparateTypeImports: true }],
            // Lazy require() is deliberate here: after setMocks, and to keep CLI start-up cheap.
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
        },
    },
    { files: ["test/**/*.ts", "scripts/**/*.ts", "index.ts"], rules: restrict(OFFLINE_INTERNALS, PACK_BY_PATH) },
    { files: ["offline/**/*.ts"], rules: restrict(PACK_BY_PATH) },
    {
        files: ["components/**/*.ts"],
        rules: restrict(PACK_BY_PATH, { group: ["**/offline", "**/offline/*"], message: "components never import the offline toolchain" }),
    },
    {
        files: ["stacks/**/*.ts"],
        rules: restrict(PACK_BY_PATH, {
            group: ["**/components/*", "**/offline", "**/offline/*", "../../index", "../../../index"],
            message: "stacks/ is below components/, offline/ and the program",
        }),
    },
    {
        files: ["stacks/model/**/*.ts"],
        rules: restrict({
            group: ["../*", "@pulumi/*"],
            message: "the model is a leaf: types only, importing nothing outside stacks/model",
        }),
    },
    {
        files: ["policy-pack/**/*.ts"],
        rules: restrict({ group: ["../../*", "**/stacks/*", "**/offline/*", "**/components/*"], message: "the pack is its own package" }),
    },
    {
        files: ["**/*.js"],
        languageOptions: {
            sourceType: "commonjs",
            globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    prettier,
);
