// Per-client consumers: read-only on one token secret each, so a consumer of one client's token cannot read another's.
// A role assignment needs its scope to exist, and the app creates a token secret only at its first refresh; a
// placeholder secret declared here would write a new version over a good token on every deployment, so there is none.
// A module of its own that nothing waits for: a grant made too early fails only itself, never the app's update.

param tokenVaultName string

@description('{ principalId, secretName } pairs: Key Vault Secrets User on that one token secret, which must exist.')
param consumerSecretGrants array

var roles = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

resource tokenVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: tokenVaultName
}

resource grantedTokenSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = [
  for grant in consumerSecretGrants: {
    parent: tokenVault
    name: grant.secretName
  }
]

// principalType is left out because consumers may be users, groups or service principals.
resource consumerSecretUsers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (grant, i) in consumerSecretGrants: {
    name: guid(grantedTokenSecrets[i].id, grant.principalId, roles.keyVaultSecretsUser)
    scope: grantedTokenSecrets[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
      principalId: grant.principalId
    }
  }
]
