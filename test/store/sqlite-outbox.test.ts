// The bus outbox contract on SQLite (a file and ':memory:').
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after} from 'node:test';
import {openSqliteStore} from '../../src/store/sqlite/index.js';
import {outboxContract} from './contract-outbox.js';

const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-sqlite-outbox-'));
after(() => rm(dir, {recursive: true, force: true}));
let files = 0;

outboxContract('sqlite file', () => openSqliteStore(join(dir, `store-${++files}.db`)));
outboxContract('sqlite :memory:', () => openSqliteStore(':memory:'));
