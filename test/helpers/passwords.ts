// The password hashing of test daemons (test/helpers/daemon.ts) and of the users tests write
// straight into a store (test/helpers/users.ts): argon2id at 1 MiB and one pass instead of 19 MiB
// and two, which took a tenth of the suite's time. Tests about the hashing's cost or the hash
// queue start their daemons with `new Passwords()`, the daemon's default.

import {Passwords} from '../../src/services/passwords.js';

export const testPasswords = new Passwords({memoryCost: 1024, timeCost: 1});
