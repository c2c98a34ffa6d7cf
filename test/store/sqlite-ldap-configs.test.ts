// The LDAP configuration contract on SQLite (a file and ':memory:').
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after} from 'node:test';
import {openSqliteStore} from '../../src/store/sqlite/index.js';
import {ldapConfigsContract} from './contract-ldap-configs.js';

const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-sqlite-ldap-configs-'));
after(() => rm(dir, {recursive: true, force: true}));
let files = 0;

ldapConfigsContract('sqlite file', () => openSqliteStore(join(dir, `store-${++files}.db`)));
ldapConfigsContract('sqlite :memory:', () => openSqliteStore(':memory:'));
