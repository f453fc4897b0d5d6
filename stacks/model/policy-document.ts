/** An IAM policy document as parsed JSON (validated to be an object with a `Statement`). */
export type PolicyDocument = { readonly [key: string]: unknown };
