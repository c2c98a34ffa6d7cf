// Request bodies as bytes, within a size limit and refused as soon as they nest too deep, and as
// JSON: what the server parses for the routes' schemas, and what a route reading its own JSON gets.

import type {IncomingMessage} from 'node:http';
import type {CodedError} from '../domain/errors.js';
import {NestingScan} from './json-depth.js';
import {BodyTooLarge, TooDeeplyNested, UnreadableBody} from './request-errors.js';

/** The client closed its connection before its body arrived: nobody is left to answer. */
export class ClientGone extends Error {}

/**
 * The body, up to `limit` bytes and refused as soon as it nests too deep, before anything
 * parses it. Refused: the rest is read and dropped.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (req.destroyed) return reject(new ClientGone());
    if (Number(req.headers['content-length']) > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    const scan = new NestingScan();
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onGone);
      req.off('error', onGone);
    };
    const refuse = (error: CodedError) => {
      stop();
      // Not read on until the refusal is answered (closeAfterRefusal): the rest waits in TCP.
      req.pause();
      reject(error);
    };
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > limit) return refuse(new BodyTooLarge());
      if (!scan.push(chunk)) return refuse(new TooDeeplyNested());
      chunks.push(chunk);
    }
    function onEnd() {
      stop();
      resolve(Buffer.concat(chunks, size));
    }
    function onGone() {
      stop();
      reject(new ClientGone());
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onGone);
    req.on('error', onGone);
  });
}

/**
 * A JSON body read as is (a route that checks it itself, to answer in upstream's words); not
 * JSON: UnreadableBody.
 */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const raw = await readBody(req, maxBytes);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new UnreadableBody();
  }
}
