// The usage text of every `vanthu` command, kept apart from the commands so `--help` prints without loading any of them.

export const GENERAL_USAGE = `vanthu — ký số và trao đổi văn bản điện tử / sign and exchange official documents

  vanthu token list [--module PATH] [--json]    USB token và chứng thư số / tokens and certificates
  vanthu sign IN.pdf -o OUT.pdf --module PATH --pin-stdin [...]   ký số PDF / sign a PDF (PAdES)
  vanthu sign --batch IN_DIR --out OUT_DIR ...  ký nhiều tệp, một lần nhập PIN / sign many with one PIN
  vanthu verify FILE.pdf... [--trust CA.pem ...] [--online] [--json] [--lang vi|en] [--report OUT.pdf]   kiểm tra chữ ký / verify signatures
  vanthu draft render DRAFT.json -o OUT.pdf [--json]   dự thảo theo thể thức NĐ 30 / render a Decree 30 draft
  vanthu register print|export outgoing|incoming --year YYYY -o OUT   in sổ (PDF) hoặc xuất Excel / print or export a register
  vanthu server [--db sqlite:PATH|postgres://...] [--port N] [--host H] [--trust CA.pem ...]   máy chủ trao đổi / exchange server
  vanthu server agency add|list|remove [--db ...] --organ-id ID --name NAME --cert CERT.pem   danh bạ cơ quan / agency directory
  vanthu server agency bind [--db ...] --organ-id ID --issuer-cert CA.pem --subject UID=MST:…   nhận chứng thư theo CA + chủ thể / by CA + subject
  vanthu server audit verify [--db ...]         kiểm tra nhật ký kiểm toán / verify the audit log
  vanthu edxml export MESSAGE_ID [--db ...] -o FILE.edxml   xuất gói edXML / export an edXML package
  vanthu edxml import FILE.edxml [--db ...] [--trust CA.pem ...]   nhận gói edXML / import an edXML package
  vanthu edxml show FILE.edxml [--json]          xem nội dung gói edXML / show what a package holds
  vanthu send FILE.pdf... --to ORGAN_ID... --server URL --module PATH --pin-stdin [...]   gửi văn bản / send documents
  vanthu inbox --server URL --module PATH --pin-stdin [--data DIR] [--json]   nhận văn bản đến / receive documents
  vanthu serve-local --allow-origin ORIGIN... --module PATH --pin-stdin [...]   dịch vụ ký số cho trang web / local signing service for web pages

  vanthu COMMAND --help (-h): cách dùng của lệnh / a command's usage.
  Mã thoát / exit codes: 0 được / ok, 1 không hợp lệ hoặc thất bại / invalid or failed, 2 sai cách dùng hoặc đầu vào / bad usage or input.
`;

const CONNECTION = `--server URL --module PATH [--token LABEL] [--cert ID|LABEL] [--chain CA.pem] --pin-stdin`;

/** Usage of each command, by its words on the command line. */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  'token list': `vanthu token list [--module PATH]... [--json]
  Liệt kê token và chứng thư số / lists every token and certificate the PKCS#11 modules reach.
  --module  thư viện PKCS#11 của token / the token's PKCS#11 library (default: the known drivers installed)
`,
  sign: `vanthu sign IN.pdf -o OUT.pdf --module PATH [--token LABEL] [--cert ID|LABEL] --pin-stdin
            [--level B-B|B-T] [--tsa URL] [--appearance none|leader|seal|attachment|copy] [--image PNG]
            [--page N] [--rect x,y,w,h] [--reason TEXT] [--location TEXT] [--notation SO/KH] [--chain CA.pem]
            [--trust ROOT.pem] [--offline] [--json]
            [--over FIELD] [--seal-size MM] [--number 05/UBND-VP] [--date YYYY-MM-DD]
  leader without --rect: the image goes above the signer's name (certificate CN) on the last page;
  seal without --rect: over the left third of the latest visible signature (or of --over FIELD);
  --number/--date (with --appearance seal): written after "Số:" and into "ngày … tháng … năm …" on page 1.
vanthu sign --batch IN_DIR --out OUT_DIR (same options; one PIN for the whole batch)
`,
  verify: `vanthu verify FILE.pdf... [--trust CA.pem ...] [--no-bundled-trust] [--online] [--json] [--lang vi|en] [--cache-dir DIR] [--report OUT.pdf]
  Kiểm tra chữ ký số của từng tệp / verifies every signature of each file, one report each, then a summary line;
  exit 0 only when every file is valid, 1 otherwise.
  --report  ghi báo cáo kiểm tra in được (PDF, tiếng Việt) / writes a printable verification report (one file only)
`,
  'draft render': `vanthu draft render DRAFT.json -o OUT.pdf [--json]
  Trình bày dự thảo theo thể thức Nghị định 30 / lays a draft out in the Decree 30 form.
`,
  'register print': `vanthu register print outgoing|incoming (--year YYYY | --from dd/MM/yyyy --to dd/MM/yyyy) -o OUT.pdf
            [--data DIR] [--organ-id ID] [--agency NAME] [--json]
  In sổ đăng ký văn bản đi/đến (A4 ngang) / prints the outgoing or incoming register (A4 landscape PDF), Decree 30 columns.
  --data    kho dữ liệu / the data folder (default: the desktop app's, or $VANTHU_DATA_DIR)
  --agency  tên cơ quan in ở đầu sổ / the agency name at the top (default: the one the store knows)
`,
  'register export': `vanthu register export outgoing|incoming (--year YYYY | --from dd/MM/yyyy --to dd/MM/yyyy) -o OUT.xlsx
            [--data DIR] [--organ-id ID] [--agency NAME] [--json]
  Xuất sổ ra Excel / exports the register as .xlsx (same columns, dates as dates, A4 landscape print setup).
`,
  server: `vanthu server [--db sqlite:PATH | postgres://...] [--port N] [--host H] [--trust CA.pem ...]
              [--origin URL] [--receipt-key KEY.pem] [--bootstrap AGENCIES.json] [--no-bundled-trust] [--revocation-best-effort] [--drain-timeout SECONDS] [--verify-threads N|auto]
  --db            cơ sở dữ liệu / database (default: $DATABASE_URL or sqlite:vanthu-server/exchange.db)
  --origin        địa chỉ công khai mà máy khách ký khi đăng nhập / public origin clients sign at login
  --receipt-key   khóa Ed25519/ECDSA (PEM) ký biên nhận / receipt signing key; made next to a SQLite db when absent
  --drain-timeout khi dừng, chờ các yêu cầu đang chạy tối đa chừng ấy giây (mặc định 30) / on stop, wait this long for requests in flight
  --verify-threads số luồng kiểm tra chữ ký tệp PDF (mặc định auto: số lõi trừ một; 0: kiểm tra ngay trên luồng chính)
                  / threads verifying submitted PDFs (default auto: the cores less one; 0: inline)
  --bootstrap     danh bạ ban đầu / agencies to add when missing: {"agencies":[{"organId","name","parent","certificates":[PEM…]}]}
  --axis-endpoint URL --axis-system-id ID [--axis-secret-file FILE] [--axis-poll-seconds N]
                  nối với Trục liên thông văn bản quốc gia (tắt nếu không có) / connect to the national axis (off unless given);
                  khóa bí mật trong tệp hoặc biến $VANTHU_AXIS_SECRET, không bao giờ ghi nhật ký / secret from the file or $VANTHU_AXIS_SECRET, never logged
`,
  'server agency add': 'vanthu server agency add [--db …] --organ-id ID --name NAME [--parent ID] --cert CERT.pem [--person-cert CERT.pem …] [--json]\n',
  'server agency list': 'vanthu server agency list [--db …] [--json]\n',
  'server agency remove': 'vanthu server agency remove [--db …] --organ-id ID [--json]\n',
  'server agency bind': 'vanthu server agency bind [--db …] --organ-id ID --issuer-cert CA.pem --subject ATTR=VALUE [--role agency|person] [--json]\n',
  'server audit verify': `vanthu server audit verify [--db …] [--json]
  Kiểm tra chuỗi băm của nhật ký kiểm toán / walks the hash-chained audit log; exit 1 when it is broken.
`,
  'edxml export': `vanthu edxml export MESSAGE_ID [--db sqlite:PATH|postgres://…] -o FILE.edxml [--status-of ORGAN_ID] [--json]
      [--sign --module PATH [--token LABEL] [--cert ID|LABEL] --pin-stdin [--algorithm rsa-sha256|rsa-sha1]]
  With --status-of, the latest status that recipient reported on the message (01–06, 15, 16) as a status package.
  With --sign, the package carries an enveloped XML signature made on the agency's token (RSA-SHA256 unless told).
`,
  'edxml show': `vanthu edxml show FILE.edxml [--json]
  Prints what the package holds without storing it: kind, parties, DocumentId, number, subject, business type,
  status and the document it answers, attachments (zips and nested packages), the signature check.
  Exit 0 when read (1 when its signature does not hold, 2 when it cannot be read).
`,
  'edxml import': `vanthu edxml import FILE.edxml [--db …] [--trust CA.pem …] [--no-bundled-trust] [--receipt-key KEY.pem] [--offline] [--json]
  Submits the package's message as its sender (who must be in the directory) through the server's checks:
  every PDF must be validly signed, cover the whole file and carry the sender agency's signature.
`,
  send: `vanthu send FILE.pdf... --to ORGAN_ID... ${CONNECTION}
            [--subject TEXT] [--code-number N] [--code-notation TEXT] [--type-name TEXT] [--issued-date YYYY-MM-DD]
            [--priority 0-4] [--again | --message-id UUID] [--origin URL] [--data DIR] [--json]
  The first file is the main document, the others attachments. The message id (the Idempotency-Key)
  is derived from the sender, the files' hashes and the recipients: running the command again for
  the same files and recipients (a retry after an unclear error) sends the document once.
  --again: a new sending of the same files (a fresh id; the recipients get a second document).
  --message-id: use this id instead.
  --origin: the server's public origin, when it differs from --server (a proxy in between).
`,
  inbox: `vanthu inbox ${CONNECTION}
             [--data DIR] [--reply none|arrived|accepted] [--trust ROOT.pem ...] [--offline] [--origin URL] [--json]
  Documents are stored in --data (default: the desktop app's data folder, ~/.config/vanthu on Linux,
  ~/Library/Application Support/vanthu on macOS, %APPDATA%\\vanthu on Windows, or $VANTHU_DATA_DIR)
  and acknowledged only once stored there.
  --reply: the status sent for each stored document (default arrived = 01; accepted = 01 then 03).
  A document found invalid (tampered, revoked, not a PDF, changed after its last signature) is refused
  with status 02 and its reasons; exit code 1. One that cannot be decided here yet (no trusted root,
  revocation unreachable) is stored, answered 01 only and flagged "cần kiểm tra lại"; each run first
  re-checks the flagged documents that are due and sends 03 (with --reply accepted) once one is valid.
`,
  'serve-local': `vanthu serve-local --allow-origin ORIGIN... --module PATH [--token LABEL] [--cert ID|LABEL] --pin-stdin
            [--image PNG] [--seal-image PNG] [--port 8987] [--tls-dir DIR] [--keep-dir DIR]
            [--allow-url-origin ORIGIN...] [--level B-B|B-T] [--tsa URL] [--chain CA.pem] [--trust ROOT.pem]
  Serves wss://127.0.0.1:PORT/<Operation> (VGCA Sign Service protocol) for the listed origins only, until stopped.
  The PIN is read once (first line of stdin). Each request is logged as one JSON line on stdout
  (site, operation, document hash, outcome; never the PIN, the session or the token).
  --tls-dir keeps the local CA and the 127.0.0.1 certificate (default ~/.config/vanthu/local-service/tls);
  --keep-dir keeps every signed document (default ~/vanthu/da-ky).
`,
};

/** One command's usage, for its own --help and usage errors (the dispatcher answers --help from the same table). */
export function usageOf(command: string): string {
  const text = COMMAND_USAGE[command];
  if (text === undefined) throw new Error(`no usage for "${command}"`);
  return text.trimEnd();
}

/** The usage of the commands under a group such as "server agency", or undefined when no command starts so. */
export function groupUsage(words: string): string | undefined {
  const members = Object.keys(COMMAND_USAGE).filter((name) => name.startsWith(`${words} `));
  return members.length ? members.map((name) => COMMAND_USAGE[name]).join('') : undefined;
}
