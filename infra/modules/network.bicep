// Private networking (vnetEnabled): the layout of Microsoft's Flex Consumption quickstart
// (Azure-Samples/functions-quickstart-dotnet-azd, infra/app/vnet.bicep), plus explicit outbound internet access.
// - subnet 'app': the function app's outbound traffic (virtual network integration), delegated to Microsoft.App/environments
//   as Flex Consumption requires; its internet traffic (Welkin) leaves through a NAT gateway with a static public IP,
//   Microsoft's recommended explicit outbound method, instead of default outbound access;
// - subnet 'private-endpoints': one private endpoint per vault and per storage service (privateendpoint.bicep);
// - one private DNS zone per endpoint kind, linked to the network, so the vaults' and storage's public names resolve to
//   the private endpoints inside it.

param location string
param tags object
param vnetName string

@description('Address space of the network; the app gets its second /24, the private endpoints its third.')
param addressPrefix string

param natGatewayName string
param publicIpName string

var appSubnetName = 'app'
var privateEndpointSubnetName = 'private-endpoints'

// Key: the private endpoint's group id (privateendpoint.bicep). In the public cloud the zones are
// privatelink.vaultcore.azure.net, privatelink.blob.core.windows.net and privatelink.table.core.windows.net; Key Vault's is
// its DNS suffix with "vaultcore" for "vault" in every cloud, storage's follow the storage endpoint suffix.
var privateDnsZoneNames = {
  vault: 'privatelink${replace(environment().suffixes.keyvaultDns, '.vault.', '.vaultcore.')}'
  blob: 'privatelink.blob.${environment().suffixes.storage}'
  table: 'privatelink.table.${environment().suffixes.storage}'
}

resource publicIp 'Microsoft.Network/publicIPAddresses@2024-05-01' = {
  name: publicIpName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAddressVersion: 'IPv4'
    publicIPAllocationMethod: 'Static'
  }
}

resource natGateway 'Microsoft.Network/natGateways@2024-05-01' = {
  name: natGatewayName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    idleTimeoutInMinutes: 4
    publicIpAddresses: [
      {
        id: publicIp.id
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressPrefix]
    }
    subnets: [
      {
        name: appSubnetName
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 1)
          // Nothing leaves this network but through the NAT gateway.
          defaultOutboundAccess: false
          natGateway: {
            id: natGateway.id
          }
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: privateEndpointSubnetName
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 2)
          defaultOutboundAccess: false
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource privateDnsZones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for zone in items(privateDnsZoneNames): {
    name: zone.value
    location: 'global'
    tags: tags
  }
]

resource privateDnsZoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (zone, i) in items(privateDnsZoneNames): {
    parent: privateDnsZones[i]
    name: vnetName
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

output vnetName string = vnet.name
output vnetId string = vnet.id
output appSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, appSubnetName)
output privateEndpointSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, privateEndpointSubnetName)
// Group id to zone id, e.g. privateDnsZoneIds.vault.
output privateDnsZoneIds object = {
  vault: resourceId('Microsoft.Network/privateDnsZones', privateDnsZoneNames.vault)
  blob: resourceId('Microsoft.Network/privateDnsZones', privateDnsZoneNames.blob)
  table: resourceId('Microsoft.Network/privateDnsZones', privateDnsZoneNames.table)
}
output privateDnsZoneNames object = privateDnsZoneNames
output natPublicIpAddress string = publicIp.properties.ipAddress
