/** The part of SARIF 2.1.0 that the writer produces (names and shapes as in the OASIS schema). */

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

interface Message {
  text: string;
  markdown?: string;
}

export interface SarifRule {
  id: string;
  shortDescription: Message;
  fullDescription: Message;
  helpUri?: string;
  help: Message;
  defaultConfiguration: { level: SarifLevel };
  properties: { 'security-severity'?: string; tags: string[]; precision: 'very-high' | 'high' };
}

export interface SarifNotification {
  level: SarifLevel;
  message: Message;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: Message;
  locations: Array<{
    physicalLocation: {
      artifactLocation: { uri: string };
      region: { startLine: number; startColumn?: number };
    };
    logicalLocations: Array<{ name: string; kind: string; fullyQualifiedName: string }>;
  }>;
  partialFingerprints: Record<string, string>;
  /**
   * No `status`: the 2.1.0 Committee Specification schema names that member `state` and the
   * Errata 01 schema `status` (each with `additionalProperties: false`), so only a log without
   * it is valid under both. `external` already says the decision lives outside the source.
   */
  suppressions?: Array<{ kind: 'external'; justification: string }>;
  properties: Record<string, unknown>;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Array<{
    tool: { driver: { name: 'assay'; version?: string; rules: SarifRule[] } };
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: SarifNotification[] }>;
    results: SarifResult[];
    properties: Record<string, unknown>;
  }>;
}
