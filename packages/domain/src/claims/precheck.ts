import { addDays, addMonths } from '../platform/local-time.ts';
import type { ClaimLine, PrecheckFinding, WarrantyClaim } from './model.ts';
import type { OemClaimRules } from './oem-rules.ts';

/**
 * 预审: the OEM's rules run on a claim before anything is sent, so the errors an OEM rejects a quarter
 * of first-time claims for (wrong op for the model year, hours over the standard, weak 3C text, missing
 * photos or parts, late, duplicate) are mended in the store. Errors block submission; a warning is sent
 * with a written justification.
 */

/** Claims that no longer count for the duplicate check: never sent, given up, or refused. */
const NOT_LIVE = new Set<WarrantyClaim['status']>(['draft', 'withdrawn', 'rejected']);

const finding = (
  code: string,
  severity: PrecheckFinding['severity'],
  path: string,
  en: string,
  zh: string,
): PrecheckFinding => ({ code, severity, path, message: { en, 'zh-CN': zh } });

function coverageFindings(claim: WarrantyClaim, rules: OemClaimRules): PrecheckFinding[] {
  // Goodwill is paid outside coverage by definition; a campaign (recall) is owed whatever the age.
  if (claim.claimType === 'goodwill' || claim.claimType === 'campaign') return [];
  const reach = claim.claimType === 'extended_warranty' ? rules.extendedCoverage : rules.coverage;
  if (!reach)
    return [
      finding(
        'NO_EXTENDED_COVERAGE',
        'error',
        'claimType',
        'This OEM offers no extended warranty: file it as warranty or goodwill.',
        '该厂家无延保政策：请按保修或善意索赔提交。',
      ),
    ];
  if (!claim.warrantyStart)
    return [
      finding(
        'WARRANTY_START_UNKNOWN',
        'error',
        'warrantyStart',
        'The vehicle has no warranty start (invoice or delivery date): record it in the registry.',
        '车辆缺少保修起始日（发票或交车日期）：请在档案中补录。',
      ),
    ];
  const ends = addMonths(claim.warrantyStart, reach.months);
  const out: PrecheckFinding[] = [];
  if (claim.roOpenedAt.slice(0, 10) >= ends)
    out.push(
      finding(
        'COVERAGE_EXPIRED',
        'error',
        'warrantyStart',
        `Coverage of ${reach.months} months from ${claim.warrantyStart} ended on ${ends}, before the repair.`,
        `保修期（自 ${claim.warrantyStart} 起 ${reach.months} 个月）已于 ${ends} 结束。`,
      ),
    );
  if (claim.odometerInKm > reach.km)
    out.push(
      finding(
        'COVERAGE_MILEAGE_EXCEEDED',
        'error',
        'odometerInKm',
        `The odometer read ${claim.odometerInKm} km, over the coverage of ${reach.km} km.`,
        `进厂里程 ${claim.odometerInKm} km 超出保修里程 ${reach.km} km。`,
      ),
    );
  return out;
}

function labourFindings(
  claim: WarrantyClaim,
  line: ClaimLine,
  i: number,
  rules: OemClaimRules,
): PrecheckFinding[] {
  return line.labour.flatMap((op, j) => {
    const path = `lines.${i}.labour.${j}`;
    const listed = rules.labourOps.filter((o) => o.code === op.code);
    if (rules.labourOps.length === 0) return [];
    if (listed.length === 0)
      return [
        finding(
          'LABOUR_OP_UNKNOWN',
          'error',
          `${path}.code`,
          `The OEM pays no labour operation ${op.code}.`,
          `厂家工时目录中没有工时代码 ${op.code}。`,
        ),
      ];
    const year = claim.modelYear;
    const valid = listed.find(
      (o) =>
        (!o.models || o.models.includes(claim.model)) &&
        (o.fromYear === undefined || (year !== undefined && year >= o.fromYear)) &&
        (o.toYear === undefined || (year !== undefined && year <= o.toYear)),
    );
    if (!valid)
      return [
        finding(
          'LABOUR_OP_NOT_FOR_MODEL',
          'error',
          `${path}.code`,
          `Labour operation ${op.code} is not valid for ${claim.model} ${year ?? '(model year unknown)'}.`,
          `工时代码 ${op.code} 不适用于 ${claim.model} ${year ?? '（车型年款未知）'}。`,
        ),
      ];
    const out: PrecheckFinding[] = [];
    if (op.tenths > valid.allowanceTenths)
      out.push(
        finding(
          'HOURS_OVER_ALLOWANCE',
          'error',
          `${path}.tenths`,
          `${op.code} claims ${op.tenths / 10} h; the OEM allows ${valid.allowanceTenths / 10} h.`,
          `${op.code} 申报 ${op.tenths / 10} 工时，厂家标准为 ${valid.allowanceTenths / 10} 工时。`,
        ),
      );
    const limit = valid.allowanceTenths * (1 + rules.actualOverAllowanceBp / 10_000);
    if (op.actualTenths > limit)
      out.push(
        finding(
          'ACTUAL_HOURS_OVER_ALLOWANCE',
          'warning',
          `${path}.actualTenths`,
          `${op.code} took ${op.actualTenths / 10} h against ${valid.allowanceTenths / 10} h allowed: say why.`,
          `${op.code} 实际用时 ${op.actualTenths / 10} 工时，超出标准 ${valid.allowanceTenths / 10} 工时：请说明原因。`,
        ),
      );
    return out;
  });
}

function lineFindings(
  claim: WarrantyClaim,
  line: ClaimLine,
  i: number,
  rules: OemClaimRules,
): PrecheckFinding[] {
  const path = `lines.${i}`;
  const out: PrecheckFinding[] = [];
  const required = [
    ['cause', line.cause, '原因'],
    ['correction', line.correction, '措施'],
    ['conditionCode', line.conditionCode, '故障现象代码'],
    ['defectCode', line.defectCode, '故障原因代码'],
  ] as const;
  for (const [field, value, zh] of required)
    if (!value)
      out.push(
        finding(
          'MISSING_FIELD',
          'error',
          `${path}.${field}`,
          `Fill in the line's ${field}.`,
          `请填写${zh}。`,
        ),
      );
  for (const [field, value, zh] of required.slice(0, 2))
    if (value && value.length < rules.min3cLength)
      out.push(
        finding(
          'WEAK_3C_TEXT',
          'warning',
          `${path}.${field}`,
          `The ${field} is only ${value.length} characters: OEMs reject vague 3C text.`,
          `${zh}仅 ${value.length} 个字：描述过于简单，易被厂家拒赔。`,
        ),
      );
  if (!line.causalPart && claim.claimType !== 'campaign')
    out.push(
      finding(
        'MISSING_FIELD',
        'error',
        `${path}.causalPartNumber`,
        'Name the causal part (the part that failed).',
        '请指定主因件。',
      ),
    );
  if (
    rules.partsReturnRequired &&
    line.causalPart &&
    !claim.parts.some((p) => p.lineId === line.id && p.partNumber === line.causalPart?.partNumber)
  )
    out.push(
      finding(
        'CAUSAL_PART_NOT_KEPT',
        'error',
        `${path}.causalPartNumber`,
        `The OEM wants the causal part ${line.causalPart.partNumber} back, and it was not kept for the claim.`,
        `厂家要求回运主因件 ${line.causalPart.partNumber}，但发料时未留存为三包旧件。`,
      ),
    );
  return [...out, ...labourFindings(claim, line, i, rules)];
}

function duplicateFindings(
  claim: WarrantyClaim,
  rules: OemClaimRules,
  others: readonly WarrantyClaim[],
): PrecheckFinding[] {
  const since = addDays(claim.roClosedAt.slice(0, 10), -rules.duplicateWindowDays);
  const codes = new Set(claim.lines.flatMap((l) => l.labour.map((o) => o.code)));
  const dupes = others.filter(
    (o) =>
      o.id !== claim.id &&
      o.vin === claim.vin &&
      !NOT_LIVE.has(o.status) &&
      o.roClosedAt.slice(0, 10) >= since &&
      o.lines.some((l) => l.labour.some((op) => codes.has(op.code))),
  );
  return dupes.map((d) =>
    finding(
      'DUPLICATE_CLAIM',
      'warning',
      'lines',
      `Claim ${d.id} claimed the same operation on this VIN within ${rules.duplicateWindowDays} days.`,
      `同一车架号在 ${rules.duplicateWindowDays} 天内已有相同工时的索赔 ${d.id}。`,
    ),
  );
}

/** The pre-submission check of a claim against its OEM's rules, as of `at`. */
export function precheckClaim(
  claim: WarrantyClaim,
  rules: OemClaimRules,
  ctx: { others: readonly WarrantyClaim[]; at: string },
): PrecheckFinding[] {
  const out = [
    ...coverageFindings(claim, rules),
    ...claim.lines.flatMap((line, i) => lineFindings(claim, line, i, rules)),
    ...duplicateFindings(claim, rules, ctx.others),
  ];
  if (claim.photoIds.length < rules.requiredPhotos)
    out.push(
      finding(
        'PHOTOS_MISSING',
        'error',
        'photoIds',
        `The OEM wants at least ${rules.requiredPhotos} sealed photo(s); the claim has ${claim.photoIds.length}.`,
        `厂家要求至少 ${rules.requiredPhotos} 张封存照片，当前 ${claim.photoIds.length} 张。`,
      ),
    );
  // The first submission is what the deadline is about; a returned claim answers by its own date.
  if (claim.status === 'draft' && ctx.at.slice(0, 10) > claim.submitBy)
    out.push(
      finding(
        'SUBMISSION_DEADLINE_PASSED',
        'error',
        'submitBy',
        `The OEM takes claims up to ${claim.submitBy}; this one is late.`,
        `厂家索赔提交截止日为 ${claim.submitBy}，已超期。`,
      ),
    );
  return out;
}
