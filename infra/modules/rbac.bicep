// Every role assignment of the deployment, each at the narrowest scope that works.
// Names are guid(scope, principal, role) so redeployments are idempotent.

param appPrincipalId string
param storageAccountName string
param applicationInsightsName string
param tokenVaultName string
param credentialsVaultName string

@description('Object ids of workloads that may read every token (Key Vault Secrets User on the token vault only).')
param consumerPrincipalIds array

var roles = {
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource tokenVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: tokenVaultName
}

resource credentialsVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: credentialsVaultName
}

// Host storage (leases, keys, deployment package) and the app's single-flight lease blob.
resource appBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The Functions host writes its diagnostic events (AZFD*) to Table storage.
resource appTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Entra-authenticated telemetry ingestion (local auth is disabled on the component).
resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The app writes new token versions.
resource appTokenOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(tokenVault.id, appPrincipalId, roles.keyVaultSecretsOfficer)
  scope: tokenVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The app reads the Welkin credentials (Key Vault references); nobody else gets a data-plane role here.
resource appCredentialsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(credentialsVault.id, appPrincipalId, roles.keyVaultSecretsUser)
  scope: credentialsVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Consumers: read-only, and only on the vault that holds nothing but the token.
// principalType is left out because consumers may be users, groups or service principals.
resource consumerTokenUsers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for consumerPrincipalId in consumerPrincipalIds: {
    name: guid(tokenVault.id, consumerPrincipalId, roles.keyVaultSecretsUser)
    scope: tokenVault
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
      principalId: consumerPrincipalId
    }
  }
]
