// What every view of the dashboard shares, given by the Dashboard component through React context.

import {createContext, useContext} from 'react';
import type {AuthClient, Policy, Tenant} from '../client/index.js';
import type {Connection} from './connection.js';
import type {KeptTable} from './model/table.js';
import type {Directory} from './operations.js';

export interface TextPrompt {
  label: string;
  initial?: string;
  /** Why the value cannot be submitted yet, checked as it is typed; null when it can. */
  problem?: (value: string) => string | null;
  /** What the value stands for, shown after it as it is typed. */
  hint?: (value: string) => string;
  onChange?: (value: string) => void;
  onSubmit: (value: string) => void;
  onCancel?: () => void;
}

export interface Prompts {
  /** A line of text on the prompt line. */
  ask(prompt: TextPrompt): void;
  /** `question (y/N)`: `y` runs onYes, any other key cancels. */
  confirm(question: string, onYes: () => void): void;
}

export type Tone = 'info' | 'error';

/** Session events from the bus (`wazo-auth dashboard --bus`): the Sessions view reloads on each. */
export interface SessionEvents {
  /** Calls `onEvent` for each session created, deleted or expiring soon; returns the unsubscribe. */
  subscribe(onEvent: () => void): () => void;
}

/**
 * Opens the operator's editor on a policy and applies what is saved, as `wazo-auth policy edit`
 * does; resolves to whether anything changed. Given by the command, which owns the terminal.
 */
export type PolicyEditor = (client: AuthClient, policyUuid: string) => Promise<boolean>;

export interface DashboardServices {
  connection: Connection;
  directory: Directory;
  refreshMs: number;
  readOnly: boolean;
  /** Present when the bus is followed: the Sessions view reloads on its session events too. */
  sessionEvents: SessionEvents | undefined;
  /** The tenant the views act in (Wazo-Tenant), with those below it. */
  tenant: string;
  scopeTo(tenant: Tenant): void;
  prompts: Prompts;
  /** Each table's sort, filter and selection, by the table's name: a view finds them again when it shows again. */
  keptTables: Map<string, KeptTable>;
  /** Shows `value` as YAML over the view, until esc. */
  showRecord(title: string, value: unknown): void;
  /** A message on the status line. */
  notify(message: string, tone?: Tone): void;
  /** False, with a message on the status line, under --read-only: call before asking anything for a change. */
  mayChange(): boolean;
  /**
   * Runs a change: refused with a message under --read-only; otherwise the status line says
   * what it did (the returned sentence) or why it failed. Resolves to whether it succeeded.
   */
  change(action: () => Promise<string>): Promise<boolean>;
  /** `e`: the policy in the operator's editor, then `done` (to reload); read-only policies and --read-only refuse. */
  editPolicy(policy: Pick<Policy, 'uuid' | 'name' | 'read_only'>, done: () => void): void;
}

export const DashboardContext = createContext<DashboardServices | null>(null);

export function useDashboard(): DashboardServices {
  const services = useContext(DashboardContext);
  if (!services) throw new Error('useDashboard outside <Dashboard>');
  return services;
}
