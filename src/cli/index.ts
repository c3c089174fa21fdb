// The `vanthu` command: parses the subcommand and hands over to its module (thin: the work is in core).
import { finalizeAllModules } from '../core/token/index.js';
import { draftRender } from './commands/draft-render.js';
import { edxmlExport, edxmlImport } from './commands/edxml.js';
import { inbox } from './commands/inbox.js';
import { send } from './commands/send.js';
import { sign } from './commands/sign.js';
import { server } from './commands/server.js';
import { serverAgencyAdd, serverAgencyBind, serverAgencyList, serverAgencyRemove } from './commands/server-agency.js';
import { serverAuditVerify } from './commands/server-audit.js';
import { tokenList } from './commands/token-list.js';
import { verify } from './commands/verify.js';
import { EXIT_OK, EXIT_USAGE, exitCodeFor, printError, usageError } from './output.js';

const USAGE = `vanthu — ký số và trao đổi văn bản điện tử / sign and exchange official documents

  vanthu token list [--module PATH] [--json]    USB token và chứng thư số / tokens and certificates
  vanthu sign IN.pdf -o OUT.pdf --module PATH --pin-stdin [...]   ký số PDF / sign a PDF (PAdES)
  vanthu sign --batch IN_DIR --out OUT_DIR ...  ký nhiều tệp, một lần nhập PIN / sign many with one PIN
  vanthu verify FILE.pdf... [--trust CA.pem ...] [--online] [--json] [--lang vi|en]   kiểm tra chữ ký / verify signatures
  vanthu draft render DRAFT.json -o OUT.pdf [--json]   dự thảo theo thể thức NĐ 30 / render a Decree 30 draft
  vanthu server [--db sqlite:PATH|postgres://...] [--port N] [--host H] [--trust CA.pem ...]   máy chủ trao đổi / exchange server
  vanthu server agency add|list|remove [--db ...] --organ-id ID --name NAME --cert CERT.pem   danh bạ cơ quan / agency directory
  vanthu server agency bind [--db ...] --organ-id ID --issuer-cert CA.pem --subject UID=MST:…   nhận chứng thư theo CA + chủ thể / by CA + subject
  vanthu server audit verify [--db ...]         kiểm tra nhật ký kiểm toán / verify the audit log
  vanthu edxml export MESSAGE_ID [--db ...] -o FILE.edxml   xuất gói edXML / export an edXML package
  vanthu edxml import FILE.edxml [--db ...] [--trust CA.pem ...]   nhận gói edXML / import an edXML package
  vanthu send FILE.pdf... --to ORGAN_ID... --server URL --module PATH --pin-stdin [...]   gửi văn bản / send documents
  vanthu inbox --server URL --module PATH --pin-stdin [--data DIR] [--json]   nhận văn bản đến / receive documents
`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, Command> = {
  'token list': tokenList,
  sign,
  verify,
  'draft render': draftRender,
  'server agency add': serverAgencyAdd,
  'server agency list': serverAgencyList,
  'server agency remove': serverAgencyRemove,
  'server agency bind': serverAgencyBind,
  'server audit verify': serverAuditVerify,
  'edxml export': edxmlExport,
  'edxml import': edxmlImport,
  send,
  inbox,
  server,
};

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(USAGE);
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  const name = Object.keys(commands).find((key) => key.split(' ').every((word, i) => argv[i] === word));
  try {
    if (!name) throw usageError(`unknown command "${argv.join(' ')}"\n${USAGE}`);
    return await commands[name]!(argv.slice(name.split(' ').length));
  } catch (error) {
    printError(error, json);
    return exitCodeFor(error);
  } finally {
    await finalizeAllModules();
  }
}

process.exitCode = await main(process.argv.slice(2));
