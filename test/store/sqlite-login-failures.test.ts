// The login-failure contract on SQLite (a file and ':memory:').
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after} from 'node:test';
import {openSqliteStore} from '../../src/store/sqlite/index.js';
import {loginFailuresContract} from './contract-login-failures.js';

const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-sqlite-login-failures-'));
after(() => rm(dir, {recursive: true, force: true}));
let files = 0;

loginFailuresContract('sqlite file', () => openSqliteStore(join(dir, `store-${++files}.db`)));
loginFailuresContract('sqlite :memory:', () => openSqliteStore(':memory:'));
