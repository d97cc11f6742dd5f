import type { NissaConfig } from '../config/types';

export type GraphFormat = 'mermaid' | 'dot';

/** The pipeline graph as Mermaid or Graphviz source: receivers → processors → exporters, connectors joining pipelines. */
export function renderGraph(config: NissaConfig, format: GraphFormat): string {
  const nodes = new Map<string, string>();
  const edges: [string, string][] = [];
  const nodeId = (key: string) => key.replace(/[^a-zA-Z0-9_]/g, '_');
  const add = (key: string, label: string) => nodes.set(nodeId(key), label);
  for (const p of config.service.pipelines) {
    const chain: string[] = [];
    for (const [i, proc] of p.processors.entries()) {
      const key = `p_${p.id}_${i}_${proc}`;
      add(key, `${proc}\\n(${p.id})`);
      chain.push(nodeId(key));
    }
    const sources = p.receivers.map((r) => {
      const kind = config.connectors.has(r) ? 'c' : 'r';
      add(`${kind}_${r}`, r);
      return nodeId(`${kind}_${r}`);
    });
    const sinks = p.exporters.map((e) => {
      const kind = config.connectors.has(e) ? 'c' : 'e';
      add(`${kind}_${e}`, e);
      return nodeId(`${kind}_${e}`);
    });
    const heads = chain.length > 0 ? [chain[0]!] : sinks;
    for (const s of sources) for (const h of heads) edges.push([s, h]);
    for (let i = 0; i + 1 < chain.length; i++) edges.push([chain[i]!, chain[i + 1]!]);
    if (chain.length > 0) for (const s of sinks) edges.push([chain[chain.length - 1]!, s]);
  }
  const unique = [...new Set(edges.map(([a, b]) => `${a} ${b}`))].map((e) => e.split(' ') as [string, string]);
  if (format === 'mermaid') {
    const lines = ['flowchart LR'];
    for (const [id, label] of nodes) lines.push(`  ${id}["${label.replace(/"/g, "'").replace(/\\n/g, '<br/>')}"]`);
    for (const [a, b] of unique) lines.push(`  ${a} --> ${b}`);
    return `${lines.join('\n')}\n`;
  }
  const lines = ['digraph nissa {', '  rankdir=LR;'];
  for (const [id, label] of nodes) lines.push(`  ${id} [label="${label.replace(/"/g, '\\"')}"];`);
  for (const [a, b] of unique) lines.push(`  ${a} -> ${b};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
