// Writes build/contract.d.ts: the API's router type (`AppRouter` of @canopy/api) as the tRPC client
// sees it — each procedure's kind, input and output, and the error shape — spelled out structurally,
// so the published declarations need nothing from Canopy's server packages (no context, no Kysely,
// no zod, no domain types). The server's own declaration emit is no use here: it names the server's
// context and every domain type, and bundling all of them runs out of memory.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const sdkDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const routerFile = join(sdkDir, "..", "api", "src", "router.ts");
const outFile = join(sdkDir, "build", "contract.d.ts");

const config = ts.getParsedCommandLineOfConfigFile(
  join(sdkDir, "tsconfig.json"),
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
);
if (!config) throw new Error("cannot read packages/sdk/tsconfig.json");
const program = ts.createProgram([routerFile], { ...config.options, noEmit: true });
const checker = program.getTypeChecker();
const source = program.getSourceFile(routerFile);
const moduleSymbol = source && checker.getSymbolAtLocation(source);
const appRouter = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === "AppRouter");
if (!appRouter) throw new Error(`no AppRouter exported from ${routerFile}`);

const trpcEntry = ts.resolveModuleName("@trpc/server", routerFile, config.options, ts.sys).resolvedModule?.resolvedFileName;
const trpcEntrySymbol = trpcEntry && program.getSourceFile(trpcEntry) && checker.getSymbolAtLocation(program.getSourceFile(trpcEntry)!);
const trpcPublic = new Set(trpcEntrySymbol ? checker.getExportsOfModule(trpcEntrySymbol).map((s) => s.name) : []);

function prop(type: ts.Type, name: string): ts.Type | undefined {
  const symbol = checker.getPropertyOfType(type, name);
  return symbol && checker.getTypeOfSymbol(symbol);
}

function must(type: ts.Type | undefined, what: string): ts.Type {
  if (!type) throw new Error(`the router type has no ${what}`);
  return type;
}

const isIdentifier = (name: string) => /^[A-Za-z_$][\w$]*$/.test(name);
const key = (name: string) => (isIdentifier(name) ? name : JSON.stringify(name));

/** Types of the standard library and of tRPC keep their names; everything else is written out. */
function declaredIn(type: ts.Type): "lib" | "trpc" | "own" {
  const declaration = (type.aliasSymbol ?? type.getSymbol())?.declarations?.[0];
  const file = declaration?.getSourceFile().fileName ?? "";
  if (program.isSourceFileDefaultLibrary(declaration?.getSourceFile() as ts.SourceFile) || /\/typescript\/lib\//.test(file)) return "lib";
  // Only names @trpc/server exports publicly can be imported; others (TrackedData) are written out.
  if (/\/@trpc\/server\//.test(file) && trpcPublic.has((type.aliasSymbol ?? type.getSymbol())?.name ?? "")) return "trpc";
  return "own";
}

function print(type: ts.Type, indent: string, seen: ts.Type[]): string {
  const f = type.flags;
  if (f & ts.TypeFlags.Any) return "any";
  if (f & ts.TypeFlags.Unknown) return "unknown";
  if (f & ts.TypeFlags.Never) return "never";
  if (
    f &
    (ts.TypeFlags.String |
      ts.TypeFlags.Number |
      ts.TypeFlags.Boolean |
      ts.TypeFlags.BigInt |
      ts.TypeFlags.Null |
      ts.TypeFlags.Undefined |
      ts.TypeFlags.Void |
      ts.TypeFlags.ESSymbol)
  )
    return checker.typeToString(type);
  if (
    f &
    (ts.TypeFlags.StringLiteral |
      ts.TypeFlags.NumberLiteral |
      ts.TypeFlags.BooleanLiteral |
      ts.TypeFlags.BigIntLiteral |
      ts.TypeFlags.TemplateLiteral)
  )
    return checker.typeToString(type);
  if (f & ts.TypeFlags.EnumLiteral) return checker.typeToString(checker.getBaseTypeOfLiteralType(type));
  if (type.isUnion()) return unionOf(type.types.map((t) => print(t, indent, seen)));
  if (type.isIntersection()) return type.types.map((t) => wrap(print(t, indent, seen))).join(" & ");
  if (!(f & ts.TypeFlags.Object)) throw new Error(`cannot write out the type ${checker.typeToString(type)}`);
  if (seen.includes(type)) throw new Error(`recursive type ${checker.typeToString(type)}: give it a name the contract can keep`);
  const inner = [...seen, type];
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const args = checker.getTypeArguments(type as ts.TypeReference);
    const readonly = checker.typeToString(type).startsWith("readonly ") ? "readonly " : "";
    if (checker.isArrayType(type)) return `${readonly}${wrap(print(args[0]!, indent, inner))}[]`;
    return `${readonly}[${args.map((a) => print(a, indent, inner)).join(", ")}]`;
  }
  const origin = declaredIn(type);
  if (origin === "lib" && type.getSymbol()?.name !== "__type" && type.getSymbol()?.name !== "__object") {
    const args = (type as ts.TypeReference).typeArguments ?? [];
    const name = type.getSymbol()!.name;
    return args.length ? `${name}<${args.map((a) => print(a, indent, inner)).join(", ")}>` : name;
  }
  if (origin === "trpc") {
    const symbol = type.aliasSymbol ?? type.getSymbol()!;
    const args = type.aliasTypeArguments ?? (type as ts.TypeReference).typeArguments ?? [];
    trpcNames.add(symbol.name);
    return args.length ? `${symbol.name}<${args.map((a) => print(a, indent, inner)).join(", ")}>` : symbol.name;
  }
  const next = `${indent}  `;
  const members: string[] = [];
  for (const info of checker.getIndexInfosOfType(type)) {
    members.push(
      `${next}${info.isReadonly ? "readonly " : ""}[key: ${checker.typeToString(info.keyType)}]: ${print(info.type, next, inner)};`,
    );
  }
  for (const symbol of checker.getPropertiesOfType(type)) {
    const optional = symbol.flags & ts.SymbolFlags.Optional ? "?" : "";
    const declaration = symbol.declarations?.[0];
    const readonly = declaration && ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Readonly ? "readonly " : "";
    members.push(`${next}${readonly}${key(symbol.name)}${optional}: ${print(checker.getTypeOfSymbol(symbol), next, inner)};`);
  }
  if (checker.getSignaturesOfType(type, ts.SignatureKind.Call).length)
    throw new Error(`a function in the contract: ${checker.typeToString(type)}`);
  return members.length ? `{\n${members.join("\n")}\n${indent}}` : "{}";
}

const wrap = (text: string) => (/^[\w"'.$]+(\[\])*$|^\{[\s\S]*\}$|^\[[\s\S]*\]$/.test(text) && !text.includes(" | ") ? text : `(${text})`);
function unionOf(parts: string[]): string {
  const unique = [...new Set(parts)];
  // `boolean` arrives as `true | false`.
  if (unique.includes("true") && unique.includes("false")) {
    unique.splice(unique.indexOf("true"), 1, "boolean");
    unique.splice(unique.indexOf("false"), 1);
  }
  return unique.join(" | ");
}

const trpcNames = new Set<string>(["TRPCBuiltRouter", "TRPCQueryProcedure", "TRPCMutationProcedure", "TRPCSubscriptionProcedure"]);
const procedureKinds = {
  query: "TRPCQueryProcedure",
  mutation: "TRPCMutationProcedure",
  subscription: "TRPCSubscriptionProcedure",
} as const;
let procedureCount = 0;

function printRecord(record: ts.Type, indent: string): string {
  const next = `${indent}  `;
  const lines = checker.getPropertiesOfType(record).map((symbol) => {
    const value = checker.getTypeOfSymbol(symbol);
    const def = prop(value, "_def");
    const types = def && prop(def, "$types");
    if (!def || !types) return `${next}${key(symbol.name)}: ${printRecord(value, next)};`;
    const kind = checker.typeToString(must(prop(def, "type"), "procedure type")).replaceAll('"', "") as keyof typeof procedureKinds;
    const input = print(must(prop(types, "input"), "input"), `${next}  `, []);
    const output = print(must(prop(types, "output"), "output"), `${next}  `, []);
    procedureCount++;
    return `${next}${key(symbol.name)}: ${procedureKinds[kind]}<{\n${next}  input: ${input};\n${next}  output: ${output};\n${next}  meta: object;\n${next}}>;`;
  });
  return `{\n${lines.join("\n")}\n${indent}}`;
}

const routerType = checker.getDeclaredTypeOfSymbol(appRouter);
const def = must(prop(routerType, "_def"), "_def");
const record = printRecord(must(prop(def, "record"), "record"), "");
const errorShape = print(
  must(prop(must(prop(must(prop(def, "_config"), "_config"), "$types"), "$types"), "errorShape"), "errorShape"),
  "    ",
  [],
);

const text = `// Generated by packages/sdk/scripts/emit-contract.ts from @canopy/api's AppRouter: do not edit.
import type { ${[...trpcNames].sort().join(", ")} } from "@trpc/server";

/** The procedures of the Canopy API with their inputs and outputs, as the tRPC client sees them. */
export type AppRouter = TRPCBuiltRouter<
  {
    ctx: object;
    meta: object;
    errorShape: ${errorShape};
    transformer: false;
  },
  ${record.replaceAll("\n", "\n  ")}
>;
`;
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, text);
console.log(`contract: ${procedureCount} procedures, ${(text.length / 1024).toFixed(1)} KiB → ${outFile}`);
