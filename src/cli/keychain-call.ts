// One OS keychain operation, run in a process of its own by KeychainStore. A session bus that
// accepts a connection and never answers blocks @napi-rs/keyring inside native code on the calling
// thread, where no timer, no worker termination and not even process.exit reach it: a child
// process is the one thing its parent can always stop (SIGKILL) when the time is up.
//
// Reads {operation, service, account, secret?} as JSON on stdin (a secret never goes on argv);
// writes {value} or {error} as JSON on stdout.

import {Entry} from '@napi-rs/keyring';

export interface KeychainRequest {
  operation: 'read' | 'write' | 'remove';
  service: string;
  account: string;
  secret?: string;
}

export type KeychainAnswer = {value: string | boolean | null} | {error: string};

function perform(request: KeychainRequest): KeychainAnswer {
  try {
    // Only the Secret Service on Linux: the default falls back to the kernel keyring, which
    // forgets everything at logout and would make a login look kept when it is not.
    const entry = new Entry(request.service, request.account, {linux: {store: 'secret-service'}});
    if (request.operation === 'read') return {value: entry.getPassword()};
    if (request.operation === 'remove') return {value: entry.deletePassword()};
    entry.setPassword(request.secret ?? '');
    return {value: true};
  } catch (error) {
    return {error: (error as Error).message};
  }
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
process.stdout.write(JSON.stringify(perform(JSON.parse(input) as KeychainRequest)));
