# The baseline for bench/vsphere-inventory.ts: Debian's python3-pyvmomi reads the same properties
# of the same objects as driftwatch's vSphere inventory (one ContainerView, RetrievePropertiesEx
# paged by 500, then every host's and the server's advanced settings), after logging in, and
# prints the milliseconds that took. vcsim's self-signed certificate is not checked: bench only.
import ssl
import sys
import time
from urllib.parse import urlparse

from pyVim.connect import SmartConnect, Disconnect
from pyVmomi import vim, vmodl

VIEW = {
    vim.Folder: ["name", "parent"],
    vim.Datacenter: ["name", "parent"],
    vim.ComputeResource: ["name", "parent"],
    vim.ClusterComputeResource: ["name", "parent", "configurationEx"],
    vim.HostSystem: [
        "name", "parent", "runtime.connectionState", "runtime.powerState",
        "runtime.inMaintenanceMode", "config.lockdownMode", "config.service",
        "configManager.advancedOption", "summary.config.product", "summary.hardware",
    ],
    vim.Network: ["name", "parent"],
    vim.dvs.DistributedVirtualPortgroup: ["name", "parent", "key"],
    vim.VirtualMachine: [
        "name", "parent", "config", "runtime.powerState", "runtime.connectionState",
        "runtime.host", "snapshot",
    ],
}


def retrieve(collector, spec):
    options = vmodl.query.PropertyCollector.RetrieveOptions(maxObjects=500)
    result = collector.RetrievePropertiesEx([spec], options)
    objects = list(result.objects) if result else []
    while result and result.token:
        result = collector.ContinueRetrievePropertiesEx(result.token)
        objects.extend(result.objects)
    return objects


url = urlparse(sys.argv[1])
si = SmartConnect(host=url.hostname, port=url.port, user="bench", pwd="bench",
                  sslContext=ssl._create_unverified_context())
content = si.RetrieveContent()
collector = content.propertyCollector
started = time.perf_counter()
view = content.viewManager.CreateContainerView(content.rootFolder, list(VIEW), True)
traversal = vmodl.query.PropertyCollector.TraversalSpec(name="view", path="view", skip=False,
                                                        type=vim.view.ContainerView)
spec = vmodl.query.PropertyCollector.FilterSpec(
    objectSet=[vmodl.query.PropertyCollector.ObjectSpec(obj=view, skip=True, selectSet=[traversal])],
    propSet=[vmodl.query.PropertyCollector.PropertySpec(type=kind, pathSet=paths)
             for kind, paths in VIEW.items()],
)
objects = retrieve(collector, spec)
view.DestroyView()
managers = [content.setting]
for obj in objects:
    if isinstance(obj.obj, vim.HostSystem):
        for prop in obj.propSet:
            if prop.name == "configManager.advancedOption":
                managers.append(prop.val)
settings = retrieve(collector, vmodl.query.PropertyCollector.FilterSpec(
    objectSet=[vmodl.query.PropertyCollector.ObjectSpec(obj=m) for m in managers],
    propSet=[vmodl.query.PropertyCollector.PropertySpec(type=vim.option.OptionManager,
                                                        pathSet=["setting"])],
))
elapsed = (time.perf_counter() - started) * 1000
Disconnect(si)
print(f"{elapsed:.1f}")
