// The app identity's role assignments, each at the narrowest scope that works (consumers': consumers.bicep).
// Names are guid(scope, principal, role) so redeployments are idempotent.

param appPrincipalId string
param storageAccountName string
param applicationInsightsName string

@description('Every client\'s token vault.')
param tokenVaultNames array

param credentialsVaultName string

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

resource tokenVaults 'Microsoft.KeyVault/vaults@2023-07-01' existing = [
  for name in tokenVaultNames: {
    name: name
  }
]

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

// The app writes new token versions, in every client's vault.
resource appTokenOfficers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (name, i) in tokenVaultNames: {
    name: guid(tokenVaults[i].id, appPrincipalId, roles.keyVaultSecretsOfficer)
    scope: tokenVaults[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

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
