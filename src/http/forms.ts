// HTML form bodies (urlencoded and multipart), for the routes that take them instead of JSON:
// the SAML ACS, where the browser posts the provider's answer, and the SAML configuration's
// metadata upload. busboy parses, within limits on every part; a body past them is a 413.

import type {IncomingMessage} from 'node:http';
import busboy from 'busboy';
import {BodyTooLarge, UnreadableBody} from './request-errors.js';

export interface UploadedFile {
  filename: string;
  data: Buffer;
}

export interface FormBody {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

export interface FormLimits {
  /** Fields (and files) at most. */
  parts: number;
  /** Bytes of one field's value. */
  fieldBytes: number;
  /** Bytes of one file; 0: no file taken. */
  fileBytes: number;
}

const EMPTY: FormBody = Object.freeze({fields: {}, files: {}}) as FormBody;

/**
 * Reads the form within `limits` and `maxBytes` in all. A body of another content type reads as
 * an empty form, as upstream's framework gives it; a form past a limit is BodyTooLarge.
 */
export function readForm(req: IncomingMessage, maxBytes: number, limits: FormLimits): Promise<FormBody> {
  if (Number(req.headers['content-length']) > maxBytes) return Promise.reject(new BodyTooLarge());
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: {
        fields: limits.parts,
        files: limits.fileBytes > 0 ? limits.parts : 0,
        parts: limits.parts,
        fieldSize: limits.fieldBytes,
        fileSize: limits.fileBytes,
        fieldNameSize: 200,
      },
      defParamCharset: 'utf8',
    });
  } catch {
    // No or another content type: nothing of it is a form field.
    req.resume();
    return Promise.resolve(EMPTY);
  }
  return new Promise<FormBody>((resolve, reject) => {
    const form: FormBody = {fields: Object.create(null), files: Object.create(null)};
    let size = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(new BodyTooLarge());
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) return fail(new BodyTooLarge());
      form.fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(new BodyTooLarge()));
      stream.on('close', () => {
        if (!settled) form.files[name] = {filename: info.filename ?? '', data: Buffer.concat(chunks)};
      });
    });
    parser.on('partsLimit', () => fail(new BodyTooLarge()));
    parser.on('filesLimit', () => fail(new BodyTooLarge()));
    parser.on('fieldsLimit', () => fail(new BodyTooLarge()));
    parser.on('error', () => fail(new UnreadableBody()));
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      resolve(form);
    });
    req.on('aborted', () => fail(new UnreadableBody()));
    req.pipe(parser);
  });
}
