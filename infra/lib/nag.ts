import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The form in which cdk-nag names a resource or action in a finding id (`AwsSolutions-IAM5[Resource::…]`):
 * the value as it will appear in the template, with `Ref` → `<Name>`, `Fn::GetAtt` → `<Name.Attr>`,
 * `Fn::Sub` placeholders `${X}` → `<X>` and `Fn::Join` concatenated. cdk-nag 3 acknowledges findings
 * by exact id, so suppressions computed with this stay right when logical ids or regions change.
 */
export function nagFindingValue(scope: IConstruct, value: string): string {
  return flatten(Stack.of(scope).resolve(value));
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    if ('Fn::Join' in node && Array.isArray(node['Fn::Join'])) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if ('Fn::Sub' in node) return flatten(node['Fn::Sub']);
    if ('Fn::GetAtt' in node && Array.isArray(node['Fn::GetAtt'])) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if ('Ref' in node) return `<${flatten(node.Ref)}>`;
  }
  return JSON.stringify(node);
}
