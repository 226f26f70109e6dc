// The vaults:
// - one token vault per client, holding only that client's short-lived Welkin token (the app writes, consumers read), so
//   that every role is assigned at vault scope, as Microsoft's Key Vault RBAC guide asks, and exists before the first refresh;
// - the credentials vault holds every Welkin API client's key and secret (only the app reads).
// All use RBAC, soft delete and purge protection, and send AuditEvent logs to Log Analytics. Without public network
// access they are reached only through their private endpoints (privateendpoint.bicep).

param location string
param tags object

@description('Token vault names, one per client, default client first when it exists.')
param tokenVaultNames array

param credentialsVaultName string
param workspaceId string

@description('false: public network access disabled; the vaults are reached through private endpoints only.')
param publicNetworkAccess bool

param apiClientSecretName string
param apiSecretSecretName string

@secure()
@description('Empty: the secret is not written, so whatever the vault holds stays.')
param welkinApiClient string

@secure()
@description('Empty: the secret is not written, so whatever the vault holds stays.')
param welkinSecret string

@description('Names of the clients besides the default one; each has welkin-api-client-{name} and welkin-api-secret-{name}.')
param welkinClientNames array

@secure()
@description('{ "<name>": { "apiClient": "...", "secret": "..." } }; a missing or empty value is not written.')
param welkinClientCredentials object

var vaultProperties = union(
  {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
  },
  // Secrets written by this deployment go through Azure Resource Manager, which Key Vault's network rules do not stop.
  publicNetworkAccess
    ? {}
    : {
        publicNetworkAccess: 'Disabled'
        networkAcls: {
          defaultAction: 'Deny'
          bypass: 'None'
        }
      }
)

resource tokenVaults 'Microsoft.KeyVault/vaults@2023-07-01' = [
  for name in tokenVaultNames: {
    name: name
    location: location
    tags: tags
    properties: vaultProperties
  }
]

resource credentialsVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: credentialsVaultName
  location: location
  tags: tags
  properties: vaultProperties
}

// Written through ARM (control plane), so the deployer needs no data-plane role on the vault. An empty parameter
// writes nothing: a deployment without credentials (CI) leaves what a person wrote as it is, and an empty value never
// becomes an empty secret.
resource apiClientSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(welkinApiClient)) {
  parent: credentialsVault
  name: apiClientSecretName
  properties: {
    value: welkinApiClient
    contentType: 'text/plain'
  }
}

resource apiSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(welkinSecret)) {
  parent: credentialsVault
  name: apiSecretSecretName
  properties: {
    value: welkinSecret
    contentType: 'text/plain'
  }
}

// The default client's names without a suffix, so single-client deployments keep their secrets.
resource clientApiClientSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for name in welkinClientNames: if (!empty(welkinClientCredentials[?name].?apiClient ?? '')) {
    parent: credentialsVault
    name: '${apiClientSecretName}-${name}'
    properties: {
      value: welkinClientCredentials[name].apiClient
      contentType: 'text/plain'
    }
  }
]

resource clientSecretSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for name in welkinClientNames: if (!empty(welkinClientCredentials[?name].?secret ?? '')) {
    parent: credentialsVault
    name: '${apiSecretSecretName}-${name}'
    properties: {
      value: welkinClientCredentials[name].secret
      contentType: 'text/plain'
    }
  }
]

resource tokenVaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = [
  for (name, i) in tokenVaultNames: {
    name: 'to-log-analytics'
    scope: tokenVaults[i]
    properties: {
      workspaceId: workspaceId
      logs: [
        {
          category: 'AuditEvent'
          enabled: true
        }
      ]
    }
  }
]

resource credentialsVaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: credentialsVault
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

// Same order as tokenVaultNames.
output tokenVaultNames array = [for (name, i) in tokenVaultNames: tokenVaults[i].name]
output tokenVaultIds array = [for (name, i) in tokenVaultNames: tokenVaults[i].id]
output tokenVaultUris array = [for (name, i) in tokenVaultNames: tokenVaults[i].properties.vaultUri]
output credentialsVaultId string = credentialsVault.id
output credentialsVaultName string = credentialsVault.name
// The app's Key Vault references are built from it (versionless, so a rotated secret is picked up after a restart),
// not from the secrets' resources: a secret this deployment did not write still has its URI.
output credentialsVaultUri string = credentialsVault.properties.vaultUri
