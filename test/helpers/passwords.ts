// The password hashing of test daemons (test/helpers/daemon.ts) and of the users tests write
// straight into a store (test/helpers/users.ts): argon2id at 1 MiB and one pass instead of 19 MiB
// and two, which took a tenth of the suite's time. The hashing's own tests use the daemon's
// default (`new Passwords()`).

import {Passwords} from '../../src/services/passwords.js';

export const testPasswords = new Passwords({memoryCost: 1024, timeCost: 1});
