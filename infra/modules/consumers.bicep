// Consumers: read-only, and only on the token vaults of the clients they were granted (every vault for
// consumerPrincipalIds). A token vault holds one client's token and nothing else, so a role at vault scope gives exactly
// that token, and the vault exists from this deployment on: no grant ever waits for the app's first refresh.

@description('{ principalId, vaultName } pairs: Key Vault Secrets User on that token vault.')
param readers array

var roles = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

resource tokenVaults 'Microsoft.KeyVault/vaults@2023-07-01' existing = [
  for reader in readers: {
    name: reader.vaultName
  }
]

// principalType is left out because consumers may be users, groups or service principals.
resource tokenReaders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (reader, i) in readers: {
    name: guid(tokenVaults[i].id, reader.principalId, roles.keyVaultSecretsUser)
    scope: tokenVaults[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
      principalId: reader.principalId
    }
  }
]
