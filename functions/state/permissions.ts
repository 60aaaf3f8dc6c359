/** The DynamoDB actions the state store calls, on the one state table (see serverless.yml). */
export const STATE_STORE_ACTIONS = ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;
