// The SAML contract on SQLite (a file and ':memory:').
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after} from 'node:test';
import {openSqliteStore} from '../../src/store/sqlite/index.js';
import {samlContract} from './contract-saml.js';

const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-sqlite-saml-'));
after(() => rm(dir, {recursive: true, force: true}));
let files = 0;

samlContract('sqlite file', () => openSqliteStore(join(dir, `store-${++files}.db`)));
samlContract('sqlite :memory:', () => openSqliteStore(':memory:'));
