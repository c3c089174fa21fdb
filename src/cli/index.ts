// The `vanthu` command: finds the subcommand, answers --help from the usage table, and only then loads the command's module.
import { finalizeLoadedModules } from '../core/token/shutdown.js';
import { EXIT_OK, EXIT_USAGE, exitCodeFor, printError, usageError } from './output.js';
import { COMMAND_USAGE, GENERAL_USAGE, groupUsage } from './usage.js';

type Command = (argv: string[]) => Promise<number>;

/** Each command's module, imported only when that command runs: `vanthu --help` loads none of them (nor pkcs11js, SQLite or pdf.js). */
export const commands: Readonly<Record<string, () => Promise<Command>>> = {
  'token list': async () => (await import('./commands/token-list.js')).tokenList,
  sign: async () => (await import('./commands/sign.js')).sign,
  verify: async () => (await import('./commands/verify.js')).verify,
  'draft render': async () => (await import('./commands/draft-render.js')).draftRender,
  'register print': async () => (await import('./commands/register.js')).registerPrint,
  'register export': async () => (await import('./commands/register.js')).registerExport,
  'server agency add': async () => (await import('./commands/server-agency.js')).serverAgencyAdd,
  'server agency list': async () => (await import('./commands/server-agency.js')).serverAgencyList,
  'server agency remove': async () => (await import('./commands/server-agency.js')).serverAgencyRemove,
  'server agency bind': async () => (await import('./commands/server-agency.js')).serverAgencyBind,
  'server audit verify': async () => (await import('./commands/server-audit.js')).serverAuditVerify,
  'edxml export': async () => (await import('./commands/edxml.js')).edxmlExport,
  'edxml import': async () => (await import('./commands/edxml.js')).edxmlImport,
  'edxml show': async () => (await import('./commands/edxml.js')).edxmlShow,
  send: async () => (await import('./commands/send.js')).send,
  inbox: async () => (await import('./commands/inbox.js')).inbox,
  server: async () => (await import('./commands/server.js')).server,
  'serve-local': async () => (await import('./commands/serve-local.js')).serveLocal,
};

const HELP_FLAGS = new Set(['--help', '-h']);

/** The words before the first option: "server agency add" in `server agency add --db x`. */
const leadingWords = (argv: string[]): string[] => {
  const end = argv.findIndex((arg) => arg.startsWith('-'));
  return end === -1 ? argv : argv.slice(0, end);
};

/** The longest command the arguments start with. */
const commandOf = (argv: string[]): string | undefined =>
  Object.keys(commands)
    .filter((key) => key.split(' ').every((word, i) => argv[i] === word))
    .sort((a, b) => b.length - a.length)[0];

/** The usage for `words --help`: the command's, else its group's ("server agency"), dropping trailing positionals (`verify a.pdf --help`). */
function usageFor(words: string[]): string | undefined {
  for (let n = words.length; n > 0; n--) {
    const prefix = words.slice(0, n).join(' ');
    const usage = COMMAND_USAGE[prefix] ?? groupUsage(prefix);
    if (usage) return usage;
  }
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  if (argv.length === 0 || HELP_FLAGS.has(argv[0]!) || argv[0] === 'help') {
    process.stdout.write(GENERAL_USAGE);
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  try {
    const words = leadingWords(argv);
    if (argv.some((arg) => HELP_FLAGS.has(arg))) {
      const usage = usageFor(words);
      if (!usage) throw usageError(`unknown command "${words.join(' ')}"\n${GENERAL_USAGE}`);
      process.stdout.write(usage);
      return EXIT_OK;
    }
    const name = commandOf(argv);
    // `vanthu server agency` alone names a group, not the server: show what it holds.
    const group = groupUsage(words.join(' '));
    if (!name || (group && words.join(' ') !== name)) throw usageError(`unknown command "${argv.join(' ')}"\n${group ?? GENERAL_USAGE}`);
    const run = await commands[name]!();
    return await run(argv.slice(name.split(' ').length));
  } catch (error) {
    printError(error, json);
    return exitCodeFor(error);
  } finally {
    await finalizeLoadedModules();
  }
}
