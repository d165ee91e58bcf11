/** The per-API summary (summary.ts rows) as an HTML table: the terminal table's facts, with room for all of them. */
import type { JsonObject } from '../../language/json';
import { apiName } from '../api-name';
import { OTHER_ERROR_CODES } from '../summary';
import { countEntries, kindOf, KIND_LEGEND } from '../summary-table';
import { htmlText } from './html-escape';

/** Identities listed per row before `N more`. */
const TOP_IDENTITIES = 5;

function countedList(entries: readonly [string, number][], limit = Number.POSITIVE_INFINITY): string {
  if (entries.length === 0) return '';
  const shown = entries.slice(0, limit).map(([name, count]) => {
    const text = name === OTHER_ERROR_CODES ? 'others' : name === '' ? '(no identity)' : name;
    return `<li>${htmlText(text)} <span class="count">${count}</span></li>`;
  });
  const more = entries.length > limit ? `<li class="more">${entries.length - limit} more</li>` : '';
  return `<ul>${shown.join('')}${more}</ul>`;
}

export function summaryHtml(rows: readonly JsonObject[]): string {
  if (rows.length === 0) return '<p class="empty">No matched events.</p>';
  const body = rows.map((row) => {
    const identities = countEntries(row['identities']);
    const cells = [
      `<td class="api">${htmlText(apiName(row))}</td>`,
      `<td class="num">${Number(row['occurrences'])}</td>`,
      `<td class="num">${Number(row['failures'])}</td>`,
      `<td>${htmlText(kindOf(row))}</td>`,
      `<td class="time">${htmlText(String(row['firstSeen'] ?? ''))}</td>`,
      `<td class="time">${htmlText(String(row['lastSeen'] ?? ''))}</td>`,
      `<td>${htmlText(Array.isArray(row['regions']) ? row['regions'].join(', ') : '')}</td>`,
      `<td><span class="count">${identities.filter(([name]) => name !== OTHER_ERROR_CODES).length}</span>${countedList(identities, TOP_IDENTITIES)}</td>`,
      `<td>${countedList(countEntries(row['errorCodes']))}</td>`,
      `<td>${countedList(countEntries(row['deniedTargets']))}</td>`,
    ];
    return `<tr>${cells.join('')}</tr>`;
  });
  const legend = Object.entries(KIND_LEGEND)
    .map(([kind, meaning]) => `<dt>${htmlText(kind)}</dt><dd>${htmlText(meaning)}</dd>`)
    .join('');
  return (
    '<table class="summary"><thead><tr><th>API</th><th>count</th><th>failed</th><th>kind</th><th>first seen</th><th>last seen</th>' +
    '<th>regions</th><th>identities</th><th>error codes</th><th>denied targets</th></tr></thead>' +
    `<tbody>${body.join('')}</tbody></table><dl class="legend">${legend}</dl>`
  );
}
