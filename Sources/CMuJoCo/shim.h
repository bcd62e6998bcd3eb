#ifndef DEEPCRL_CMUJOCO_SHIM_H
#define DEEPCRL_CMUJOCO_SHIM_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mujoco/mujoco.h>

// Compiles an MJCF document held in memory. MuJoCo 2.2.2 reads models from files or from a
// virtual file system (VFS); `mjVFS` is a 2 MB struct of fixed-size arrays that Swift imports as
// huge tuples, so the VFS handling lives here. On failure returns NULL with MuJoCo's own message
// in `error` (an allocation failure is reported there too). `mj_loadXML` keeps global parser state:
// callers must serialize calls.
static inline mjModel* deepcrl_mj_load_xml_string(const char* xml, char* error, int error_size) {
    mjVFS* vfs = (mjVFS*)malloc(sizeof(mjVFS));
    if (vfs == NULL) {
        snprintf(error, error_size, "could not allocate a MuJoCo virtual file system");
        return NULL;
    }
    mj_defaultVFS(vfs);
    const char* name = "deepcrl_model.xml";
    int size = (int)strlen(xml);
    if (mj_makeEmptyFileVFS(vfs, name, size) != 0) {
        snprintf(error, error_size, "could not create a file of %d bytes in MuJoCo's virtual file system", size);
        free(vfs);
        return NULL;
    }
    int index = mj_findFileVFS(vfs, name);
    memcpy(vfs->filedata[index], xml, (size_t)size);
    mjModel* model = mj_loadXML(name, vfs, error, error_size);
    mj_deleteVFS(vfs);
    free(vfs);
    return model;
}

#endif
