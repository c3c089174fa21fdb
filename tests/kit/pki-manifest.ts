// The shape of the manifest that scripts/make-test-pki.sh writes.

export interface PkiObject {
  id: string;
  label: string;
  keyType: 'rsa' | 'ec';
  keyBits?: number;
  curve?: string;
  certPem: string;
  certDer: string;
  certSerial: string;
  subjectCN: string;
}

export interface PkiToken {
  label: string;
  serial: string;
  objects: PkiObject[];
}

export interface PkiManifest {
  outDir: string;
  softhsmConf: string;
  module: string;
  userPin: string;
  soPin: string;
  tokens: PkiToken[];
  rootPem: string;
  rootDer: string;
  subCaPem: string;
  subCaDer: string;
  chainPem: string;
  crlPem: string;
  crlDer: string;
  opensslConf: string;
  urls: { crl: string; ocsp: string; crlPort: number; ocspPort: number };
  ocsp: { certPem: string; keyPem: string; index: string; caPem: string };
  tsa: { certPem: string; keyPem: string; config: string; section: string; serialFile: string; policyOid: string };
  revoked: { certPem: string; certSerial: string; token: string; id: string; label: string; reason: string };
  nssDb: string;
  nssDbSpec: string;
  nssRootNickname: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pki: PkiManifest;
  }
}
