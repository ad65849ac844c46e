import { z } from 'zod';

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/**
 * Builds the zod schema of a set of message templates: one non-empty text per name, each
 * using only the `{placeholder}` names listed for it. An unknown placeholder is reported
 * with the names that are allowed.
 */
export function templatesSchema<Name extends string>(placeholders: Readonly<Record<Name, readonly string[]>>) {
  const names = Object.keys(placeholders) as Name[];
  return z
    .strictObject(Object.fromEntries(names.map((name) => [name, nonEmpty])) as { [name in Name]: typeof nonEmpty })
    .superRefine((templates, context) => {
      for (const name of names) {
        const allowed: readonly string[] = placeholders[name];
        const text = (templates as Record<Name, string>)[name];
        for (const [, placeholder] of text.matchAll(/\{(\w+)\}/g)) {
          if (allowed.includes(placeholder!)) continue;
          const hint = allowed.length > 0 ? `use only ${allowed.map((entry) => `{${entry}}`).join(', ')}` : 'this text takes none';
          context.addIssue({ code: 'custom', path: [name], message: `unknown placeholder {${placeholder}}: ${hint}` });
        }
      }
    });
}
