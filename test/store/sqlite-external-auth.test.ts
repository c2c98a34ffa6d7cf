// The external auth contract on SQLite (a file and ':memory:').
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after} from 'node:test';
import {openSqliteStore} from '../../src/store/sqlite/index.js';
import {externalAuthContract} from './contract-external-auth.js';

const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-sqlite-external-auth-'));
after(() => rm(dir, {recursive: true, force: true}));
let files = 0;

externalAuthContract('sqlite file', () => openSqliteStore(join(dir, `store-${++files}.db`)));
externalAuthContract('sqlite :memory:', () => openSqliteStore(':memory:'));
